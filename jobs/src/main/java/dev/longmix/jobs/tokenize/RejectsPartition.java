package dev.longmix.jobs.tokenize;

import dev.longmix.common.corpus.JsonRecordParser;
import dev.longmix.common.corpus.ParsedLine;
import dev.longmix.common.corpus.RejectReason;
import dev.longmix.jobs.spark.HadoopConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Re-reads the files in which the tokenize pass counted rejections and yields one row per rejected
 * record. Uses the very parser the tokenize pass used, so the two passes agree record for record.
 */
public final class RejectsPartition implements FlatMapFunction<Iterator<InputFile>, Row> {
  private static final long serialVersionUID = 1L;
  static final int SNIPPET_BYTES = 240;

  private final HadoopConf conf;
  private final TokenizeSettings settings;

  public RejectsPartition(HadoopConf conf, TokenizeSettings settings) {
    this.conf = conf;
    this.settings = settings;
  }

  @Override
  public Iterator<Row> call(Iterator<InputFile> files) {
    JsonRecordParser parser = new JsonRecordParser(settings.fields());
    List<Row> out = new ArrayList<>();
    while (files.hasNext()) {
      InputFile file = files.next();
      LineSource source;
      try {
        source = new LineSource(conf.get(), file);
      } catch (IOException | RuntimeException e) {
        out.add(row(file, 0, RejectReason.UNREADABLE_FILE, message(e), ""));
        continue;
      }
      try (source) {
        while (true) {
          try {
            if (!source.lines.next()) {
              break;
            }
          } catch (IOException | RuntimeException e) {
            out.add(
                row(
                    file,
                    source.lines.lineNumber() + 1,
                    RejectReason.CORRUPT_FILE,
                    "the rest of the file cannot be read: " + message(e),
                    ""));
            break;
          }
          ParsedLine p =
              parser.parse(
                  source.lines.buffer(),
                  source.lines.start(),
                  source.lines.length(),
                  file.domain());
          if (p instanceof ParsedLine.Rejected r) {
            out.add(
                row(
                    file,
                    source.lines.lineNumber(),
                    r.reason(),
                    r.detail(),
                    snippet(source.lines.buffer(), source.lines.start(), source.lines.length())));
          }
        }
      } catch (IOException e) {
        // Closing after a complete read; nothing left to report.
      }
    }
    return out.iterator();
  }

  private static Row row(InputFile f, long line, RejectReason reason, String detail, String snip) {
    return RowFactory.create(f.relative(), line, reason.code(), detail, snip);
  }

  static String snippet(byte[] buf, int start, int len) {
    return new String(buf, start, Math.min(len, SNIPPET_BYTES), StandardCharsets.UTF_8);
  }

  private static String message(Exception e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
