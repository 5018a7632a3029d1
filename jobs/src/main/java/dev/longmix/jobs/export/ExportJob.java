package dev.longmix.jobs.export;

import dev.longmix.common.export.MegatronIndex;
import dev.longmix.jobs.manifest.ExportManifest;
import dev.longmix.jobs.manifest.ManifestHeader;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.spark.TaskHook;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import scala.Tuple2;

/**
 * {@code longmix export --format megatron}: a packed output → Megatron-LM indexed datasets, one
 * {@code part-NNNNN.bin}/{@code .idx} pair per contiguous range of rows. Each span becomes a
 * sequence (padding is left out); a span that continues the item of the sequence before it (the
 * same document, piece and copy, from where that one stopped) continues its document, any other
 * starts a new one. Every row is checked to be tiled by its spans before a token is written.
 */
public final class ExportJob {
  private ExportJob() {}

  /** What a run produced. */
  public record Result(ExportManifest manifest) {}

  public static Result run(SparkSession spark, ExportConfig cfg, PrintStream out) {
    long t0 = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf hconf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    OutputGuard.begin(hconf.get(), cfg.output(), cfg.fingerprint());
    long rows = cfg.packed().body().counts().rows();
    MegatronIndex.Dtype dtype = cfg.dtype() != null ? cfg.dtype() : autoDtype(spark, cfg.input());
    int parts = (int) Math.max(1, Math.min(cfg.partitions(), Math.max(1, rows)));

    JavaPairRDD<Long, InternalRow> keyed =
        spark
            .read()
            .parquet(cfg.input())
            .select("row", "input_ids", "n_tokens", "spans")
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapToPair(r -> new Tuple2<>(r.getLong(0), r.copy()));
    Broadcast<HadoopConf> conf = jsc.broadcast(hconf);
    List<ExportManifest.FilePair> files = new ArrayList<>();
    for (ExportManifest.FilePair f :
        keyed
            .repartitionAndSortWithinPartitions(new RowRange(parts, rows))
            .mapPartitionsWithIndex(
                TaskHook.wrapIndexed(
                    "export", new WritePart(conf, cfg.output(), dtype, new RowRange(parts, rows))),
                true)
            .collect()) {
      files.add(f);
    }
    files.sort(java.util.Comparator.comparingLong(ExportManifest.FilePair::firstRow));
    long exported = files.stream().mapToLong(ExportManifest.FilePair::rows).sum();
    if (exported != rows) {
      throw new IllegalStateException(
          "exported " + exported + " rows, the packed output's manifest says " + rows);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    ExportManifest m =
        new ExportManifest(
            cfg.input(),
            cfg.packed().header().fingerprint(),
            cfg.packed().body().counts().contentDigest(),
            cfg.format(),
            dtype.name().toLowerCase(Locale.ROOT),
            rows,
            files.stream().mapToLong(ExportManifest.FilePair::sequences).sum(),
            files.stream().mapToLong(ExportManifest.FilePair::documents).sum(),
            files.stream().mapToLong(ExportManifest.FilePair::tokens).sum(),
            files,
            Math.round(seconds * 1000) / 1000.0);
    Manifests.write(
        hconf.get(),
        cfg.output(),
        ManifestHeader.now(ExportManifest.STAGE, true, cfg.fingerprint(), cfg.resolved()),
        m);
    out.printf(
        Locale.ROOT,
        "[export] %,d rows → %,d sequences in %,d documents, %,d tokens (%s) in %d file pairs;"
            + " %.1fs%n",
        rows,
        m.sequences(),
        m.documents(),
        m.tokens(),
        m.dtype(),
        files.size(),
        seconds);
    return new Result(m);
  }

  /** uint16 when every id (padding included) is below 65,500, else int32. */
  private static MegatronIndex.Dtype autoDtype(SparkSession spark, String input) {
    Row max = spark.read().parquet(input).selectExpr("max(array_max(input_ids))").first();
    long vocabulary = max.isNullAt(0) ? 0 : max.getInt(0) + 1L;
    return MegatronIndex.Dtype.forVocabulary(vocabulary);
  }

  /** Rows [p·rows/parts, (p+1)·rows/parts) to partition p: contiguous, known from the count. */
  static final class RowRange extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int parts;
    private final long rows;

    RowRange(int parts, long rows) {
      this.parts = parts;
      this.rows = Math.max(1, rows);
    }

    long firstRow(int p) {
      return (p * rows + parts - 1) / parts;
    }

    @Override
    public int numPartitions() {
      return parts;
    }

    @Override
    public int getPartition(Object key) {
      return (int) Math.min(parts - 1, Math.multiplyExact((Long) key, parts) / rows);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RowRange r && r.parts == parts && r.rows == rows;
    }

    @Override
    public int hashCode() {
      return 31 * parts + Long.hashCode(rows);
    }
  }

  /** Writes one partition's rows, in row order, as one file pair. */
  static final class WritePart
      implements Function2<
          Integer, Iterator<Tuple2<Long, InternalRow>>, Iterator<ExportManifest.FilePair>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<HadoopConf> conf;
    private final String output;
    private final MegatronIndex.Dtype dtype;
    private final RowRange ranges;

    WritePart(
        Broadcast<HadoopConf> conf, String output, MegatronIndex.Dtype dtype, RowRange ranges) {
      this.conf = conf;
      this.output = output;
      this.dtype = dtype;
      this.ranges = ranges;
    }

    @Override
    public Iterator<ExportManifest.FilePair> call(
        Integer part, Iterator<Tuple2<Long, InternalRow>> rows) throws IOException {
      if (!rows.hasNext()) {
        return List.<ExportManifest.FilePair>of().iterator();
      }
      String prefix = String.format(Locale.ROOT, "part-%05d", part);
      Path bin = new Path(output, prefix + ".bin");
      FileSystem fs = bin.getFileSystem(conf.value().get());
      long first = ranges.firstRow(part);
      long expected = first;
      MegatronIndex index;
      try (OutputStream b = new BufferedOutputStream(fs.create(bin, true), 1 << 20)) {
        index = new MegatronIndex(dtype, b);
        long prevDoc = 0;
        int prevPiece = -1;
        int prevCopy = -1;
        long prevEnd = -1;
        while (rows.hasNext()) {
          InternalRow r = rows.next()._2();
          long row = r.getLong(0);
          if (row != expected) {
            throw new IllegalStateException(
                "packed row " + expected + " is missing (next is row " + row + ")");
          }
          expected++;
          int[] ids = r.getArray(1).toIntArray();
          int n = r.getInt(2);
          ArrayData spans = r.getArray(3);
          int at = 0;
          for (int i = 0; i < spans.numElements(); i++) {
            InternalRow s = spans.getStruct(i, 8);
            int start = s.getInt(0);
            int length = s.getInt(1);
            if (start != at || length <= 0 || start + length > n || n > ids.length) {
              throw new IllegalStateException(
                  "packed row "
                      + row
                      + ": its spans do not tile it (span "
                      + i
                      + " at "
                      + start
                      + " of "
                      + length
                      + " tokens, expected at "
                      + at
                      + ", n_tokens "
                      + n
                      + ")");
            }
            long doc = s.getLong(3);
            int piece = s.getInt(4);
            int copy = s.getInt(5);
            int from = s.getInt(6);
            boolean continues =
                s.getBoolean(7)
                    && doc == prevDoc
                    && piece == prevPiece
                    && copy == prevCopy
                    && from == prevEnd;
            index.add(ids, start, length, !continues);
            prevDoc = doc;
            prevPiece = piece;
            prevCopy = copy;
            prevEnd = from + length;
            at += length;
          }
          if (at != n) {
            throw new IllegalStateException(
                "packed row " + row + ": its spans cover " + at + " tokens, n_tokens is " + n);
          }
        }
      }
      try (OutputStream idx = fs.create(new Path(output, prefix + ".idx"), true)) {
        index.writeIndex(idx);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return List.of(
              new ExportManifest.FilePair(
                  prefix,
                  first,
                  expected - first,
                  index.sequences(),
                  index.documents(),
                  index.tokens(),
                  index.binBytes()))
          .iterator();
    }
  }
}
