package dev.longmix.jobs.tokenize;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.corpus.JsonRecordParser;
import dev.longmix.common.corpus.ParsedLine;
import dev.longmix.common.corpus.RejectReason;
import dev.longmix.common.tokenizer.HfTokenizer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Parquet corpus files, read through Spark's Parquet source (only the text and domain columns; the
 * text only for named sources, whose name is the domain), with the row index standing in for the
 * line: a document's provenance is (file, row + 1).
 */
final class ParquetInput {
  private ParquetInput() {}

  /** Text, domain, file path and row index of every row of the given files. */
  static Dataset<Row> read(SparkSession spark, List<InputFile> files, TokenizeSettings settings) {
    String text = String.join(".", settings.fields().textPath());
    String domain = String.join(".", settings.fields().domainPath());
    // Named and unnamed inputs are never mixed (CorpusInput), so one file tells for all.
    boolean named = files.get(0).domain() != null;
    Dataset<Row> df =
        spark.read().parquet(files.stream().map(InputFile::path).toArray(String[]::new));
    try {
      Dataset<Row> sel =
          df.select(
              col(text).as("text"),
              named ? lit(null).cast(DataTypes.StringType).as("domain") : col(domain).as("domain"),
              col("_metadata.file_path").as("file"),
              col("_metadata.row_index").as("row"));
      require(sel.schema().apply("text").dataType(), "text-field", text);
      require(sel.schema().apply("domain").dataType(), "domain-field", domain);
      return sel;
    } catch (RuntimeException e) {
      if (e instanceof ConfigException c) {
        throw c;
      }
      throw new ConfigException(
          "text-field/domain-field",
          text + " / " + domain,
          "not columns of the Parquet input: " + e.getMessage());
    }
  }

  private static void require(DataType t, String key, String field) {
    if (!t.equals(DataTypes.StringType)) {
      throw new ConfigException(
          key, field, "is a " + t.simpleString() + " column in the Parquet input; need a string");
    }
  }

  /** Maps Spark's {@code _metadata.file_path} back to the listing's file. */
  static Map<String, InputFile> byPath(List<InputFile> files) {
    Map<String, InputFile> m = new HashMap<>();
    for (InputFile f : files) {
      m.put(new Path(f.path()).toUri().getPath(), f);
    }
    return m;
  }

  /** A row's domain: its named source's name, or its domain column. */
  static String domain(InputFile f, Row r) {
    return f.domain() != null ? f.domain() : r.getString(1);
  }

  static InputFile lookup(Map<String, InputFile> byPath, String filePath) {
    InputFile f = byPath.get(new Path(filePath).toUri().getPath());
    if (f == null) {
      throw new IllegalStateException("Parquet row from a file not in the listing: " + filePath);
    }
    return f;
  }

  /** Tokenizes Parquet rows; counts rejections like {@link TokenizePartition}. */
  static final class Tokenize implements FlatMapFunction<Iterator<Row>, InternalRow>, Serializable {
    private static final long serialVersionUID = 1L;
    private final TokenizeSettings settings;
    private final Broadcast<String> tokenizerJson;
    private final TokenizeCounters counters;
    private final Map<String, InputFile> files;

    Tokenize(
        TokenizeSettings settings,
        Broadcast<String> tokenizerJson,
        TokenizeCounters counters,
        Map<String, InputFile> files) {
      this.settings = settings;
      this.tokenizerJson = tokenizerJson;
      this.counters = counters;
      this.files = files;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<Row> rows) {
      HfTokenizer tokenizer = settings.tokenizer(tokenizerJson);
      JsonRecordParser rules = new JsonRecordParser(settings.fields());
      return new Iterator<>() {
        private InternalRow next;

        @Override
        public boolean hasNext() {
          while (next == null && rows.hasNext()) {
            Row r = rows.next();
            InputFile f = lookup(files, r.getString(2));
            long line = r.getLong(3) + 1;
            counters.read.add(1);
            ParsedLine p = rules.check(r.getString(0), domain(f, r));
            if (p instanceof ParsedLine.Document d) {
              int[] ids;
              try {
                ids = tokenizer.encode(d.text());
              } catch (RuntimeException e) {
                // As in TokenizePartition: the record is a tokenizer_error reject, not a failed
                // task. It goes to _rejects from the accumulator; the rejects pass, which only
                // parses, would not find it, so its file is not marked for that pass.
                counters.rejected.add(1);
                counters.tokenizerErrors.add(
                    new RejectRecord(
                        f.relative(),
                        line,
                        RejectReason.TOKENIZER_ERROR.code(),
                        String.valueOf(e.getMessage()),
                        ""));
                continue;
              }
              counters.document(d.domain(), ids.length, d.text().length());
              next =
                  DocumentRow.of(
                      f.relative(),
                      UTF8String.fromString(f.relative()),
                      line,
                      d.domain(),
                      d.text().length(),
                      ids);
            } else {
              counters.rejected.add(1);
              counters.filesWithRejects.add(f.index());
            }
          }
          return next != null;
        }

        @Override
        public InternalRow next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          InternalRow r = next;
          next = null;
          return r;
        }
      };
    }
  }

  /** Yields one reject row per rejected Parquet record. */
  static final class Rejects implements FlatMapFunction<Iterator<Row>, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final TokenizeSettings settings;
    private final Map<String, InputFile> files;

    Rejects(TokenizeSettings settings, Map<String, InputFile> files) {
      this.settings = settings;
      this.files = files;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      JsonRecordParser rules = new JsonRecordParser(settings.fields());
      List<Row> out = new ArrayList<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        InputFile f = lookup(files, r.getString(2));
        if (rules.check(r.getString(0), domain(f, r)) instanceof ParsedLine.Rejected x) {
          String text = r.getString(0);
          out.add(
              RowFactory.create(
                  f.relative(),
                  r.getLong(3) + 1,
                  x.reason().code(),
                  x.detail(),
                  text == null ? "" : text.substring(0, Math.min(text.length(), 240))));
        }
      }
      return out.iterator();
    }
  }
}
