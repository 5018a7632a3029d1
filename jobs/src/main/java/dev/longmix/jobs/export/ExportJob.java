package dev.longmix.jobs.export;

import dev.longmix.common.export.DocumentRuns;
import dev.longmix.common.export.MegatronIndex;
import dev.longmix.common.export.SpanTiling;
import dev.longmix.jobs.fast.RowDigest;
import dev.longmix.jobs.manifest.ExportManifest;
import dev.longmix.jobs.manifest.ManifestHeader;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.manifest.PackManifest;
import dev.longmix.jobs.pack.PackedSchema;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.spark.ParquetFooters;
import dev.longmix.jobs.spark.TaskHook;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.OptionalLong;
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
 * {@code part-NNNNN.bin}/{@code .idx} pair per contiguous range of rows. The rows are shuffled once
 * by row number to the task of their range, which writes them in row order: each span becomes a
 * sequence (padding is left out), ending with the EOD id when there is one, and {@link
 * DocumentRuns} says which sequences begin a document. Every row is checked against the packed
 * format ({@link SpanTiling}) before its tokens are written, and the rows' content digest against
 * the input's manifest before the export's manifest is written.
 */
public final class ExportJob {
  private ExportJob() {}

  /** The ids column of the packed files, as Parquet names it in the footers' statistics. */
  static final String IDS_COLUMN = "input_ids.list.element";

  /** What a run produced. */
  public record Result(ExportManifest manifest) {}

  public static Result run(SparkSession spark, ExportConfig cfg, PrintStream out) {
    long t0 = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf hconf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    OutputGuard.begin(hconf.get(), cfg.output(), cfg.fingerprint());
    PackManifest.Counts counts = cfg.packed().body().counts();
    long rows = counts.rows();
    Dtype chosen = dtype(spark, jsc, hconf, cfg);
    int parts = (int) Math.max(1, Math.min(cfg.partitions(), rows));
    RowRange ranges = new RowRange(parts, rows);
    out.printf(
        Locale.ROOT,
        "[export] %,d rows of %s → %s: megatron, %s ids (%s), %s, %d file pairs%n",
        rows,
        cfg.input(),
        cfg.output(),
        chosen.dtype().name().toLowerCase(Locale.ROOT),
        chosen.rule(),
        cfg.eod().id().isPresent()
            ? "EOD " + cfg.eod().id().getAsInt() + " (" + cfg.eod().rule() + ")"
            : "no EOD",
        parts);

    // Read by name into the packed schema's order: (row, input_ids, spans, n_tokens, pad_tokens),
    // what RowDigest hashes.
    JavaPairRDD<Long, InternalRow> keyed =
        spark
            .read()
            .schema(PackedSchema.ROWS)
            .parquet(cfg.input())
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapToPair(ExportJob::keyed);
    Broadcast<HadoopConf> conf = jsc.broadcast(hconf);
    List<Written> written =
        rows == 0
            ? new ArrayList<>()
            : new ArrayList<>(
                keyed
                    .repartitionAndSortWithinPartitions(ranges)
                    .mapPartitionsWithIndex(
                        TaskHook.wrapIndexed(
                            "export",
                            new WritePart(
                                conf,
                                cfg.output(),
                                chosen.dtype(),
                                cfg.eod().id().orElse(WritePart.NO_EOD),
                                ranges,
                                counts.seqLen())),
                        true)
                    .collect());
    written.sort(Comparator.comparingLong(w -> w.pair().firstRow()));
    List<ExportManifest.FilePair> files = written.stream().map(Written::pair).toList();
    long exported = files.stream().mapToLong(ExportManifest.FilePair::rows).sum();
    if (exported != rows) {
      throw new IllegalStateException(
          "exported " + exported + " rows, the packed output's manifest says " + rows);
    }
    long xor = 0;
    for (Written w : written) {
      xor ^= w.digest();
    }
    String digest = rows == 0 ? "0" : Long.toHexString(xor);
    if (!digest.equalsIgnoreCase(counts.contentDigest())) {
      throw new IllegalStateException(
          "the rows read from "
              + cfg.input()
              + " have content digest "
              + digest
              + ", its manifest says "
              + counts.contentDigest()
              + ": its files changed after pack wrote them; nothing was marked exported");
    }
    checkSizes(hconf, cfg.output(), files);
    long tokens = files.stream().mapToLong(ExportManifest.FilePair::tokens).sum();
    long eods = files.stream().mapToLong(ExportManifest.FilePair::eodAppended).sum();
    double seconds = (System.nanoTime() - t0) / 1e9;
    ExportManifest m =
        new ExportManifest(
            cfg.input(),
            cfg.packed().header().fingerprint(),
            digest,
            cfg.format(),
            chosen.dtype().name().toLowerCase(Locale.ROOT),
            chosen.rule(),
            cfg.eod().id().isPresent() ? cfg.eod().id().getAsInt() : null,
            cfg.eod().rule(),
            counts.seqLen(),
            rows,
            files.stream().mapToLong(ExportManifest.FilePair::sequences).sum(),
            files.stream().mapToLong(ExportManifest.FilePair::documents).sum(),
            tokens,
            eods,
            rows * counts.seqLen() - (tokens - eods),
            files,
            Math.round(seconds * 1000) / 1000.0);
    Manifests.write(
        hconf.get(),
        cfg.output(),
        ManifestHeader.now(ExportManifest.STAGE, true, cfg.fingerprint(), cfg.resolved()),
        m);
    out.printf(
        Locale.ROOT,
        "[export] %,d rows → %,d sequences in %,d documents, %,d tokens (%s; %,d EOD ids"
            + " appended, %,d pad ids left out) in %d file pairs; content digest %s checked;"
            + " %.1fs%n",
        rows,
        m.sequences(),
        m.documents(),
        m.tokens(),
        m.dtype(),
        m.eodAppended(),
        m.paddingLeftOut(),
        files.size(),
        digest,
        seconds);
    return new Result(m);
  }

  private static Tuple2<Long, InternalRow> keyed(InternalRow r) {
    return new Tuple2<>(r.getLong(0), r.copy()); // the scan reuses its row objects
  }

  /** The ids' type and how it was chosen. */
  record Dtype(MegatronIndex.Dtype dtype, String rule) {}

  /**
   * {@code --dtype} as given, else Megatron's vocabulary rule applied to the largest id in the
   * files (padding included) or the EOD id, whichever is larger: from the footers' statistics, or a
   * scan when a file lacks them. The manifests do not record the tokenizer's vocabulary size, so
   * the ids must stand for it.
   */
  private static Dtype dtype(
      SparkSession spark, JavaSparkContext jsc, HadoopConf hconf, ExportConfig cfg) {
    if (cfg.dtype() != null) {
      return new Dtype(cfg.dtype(), "--dtype " + cfg.dtype().name().toLowerCase(Locale.ROOT));
    }
    OptionalLong fromFooters = ParquetFooters.maxInt(jsc, hconf, cfg.input(), IDS_COLUMN);
    long max;
    String where;
    if (fromFooters.isPresent()) {
      max = fromFooters.getAsLong();
      where = "the files' statistics";
    } else {
      Row r = spark.read().parquet(cfg.input()).selectExpr("max(array_max(input_ids))").first();
      max = r.isNullAt(0) ? -1 : r.getInt(0);
      where = "a scan of the ids";
    }
    String rule = String.format(Locale.ROOT, "auto: largest id %d, from %s", max, where);
    if (cfg.eod().id().isPresent() && cfg.eod().id().getAsInt() > max) {
      max = cfg.eod().id().getAsInt();
      rule += String.format(Locale.ROOT, "; the EOD id %d is larger", max);
    }
    return new Dtype(MegatronIndex.Dtype.forVocabulary(max + 1), rule);
  }

  /** Each pair's files hold exactly what its task wrote (a retried task rewrites both). */
  private static void checkSizes(
      HadoopConf hconf, String output, List<ExportManifest.FilePair> files) {
    try {
      Path dir = new Path(output);
      FileSystem fs = dir.getFileSystem(hconf.get());
      for (ExportManifest.FilePair f : files) {
        for (String ext : List.of(".bin", ".idx")) {
          Path p = new Path(dir, f.prefix() + ext);
          long want = ext.equals(".bin") ? f.binBytes() : f.idxBytes();
          long got = fs.getFileStatus(p).getLen();
          if (got != want) {
            throw new IllegalStateException(p + " holds " + got + " bytes, its task wrote " + want);
          }
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot check the files under " + output, e);
    }
  }

  /** Rows [⌈p·rows/parts⌉, ⌈(p+1)·rows/parts⌉) to partition p: contiguous, known from the count. */
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
      // A row number out of range goes to the first or last part, whose writer names it.
      long row = Math.max(0, Math.min(rows - 1, (Long) key));
      return (int) Math.min(parts - 1, Math.multiplyExact(row, parts) / rows);
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

  /** A task's file pair and the XOR of its rows' content hashes. */
  record Written(ExportManifest.FilePair pair, long digest) implements Serializable {}

  /** Writes one partition's rows, in row order, as one file pair. */
  static final class WritePart
      implements Function2<Integer, Iterator<Tuple2<Long, InternalRow>>, Iterator<Written>> {
    private static final long serialVersionUID = 1L;

    /** {@code eod} when sequences get none (an OptionalInt is not serializable). */
    static final int NO_EOD = -1;

    private final Broadcast<HadoopConf> conf;
    private final String output;
    private final MegatronIndex.Dtype dtype;
    private final int eod;
    private final RowRange ranges;
    private final int seqLen;

    WritePart(
        Broadcast<HadoopConf> conf,
        String output,
        MegatronIndex.Dtype dtype,
        int eod,
        RowRange ranges,
        int seqLen) {
      this.conf = conf;
      this.output = output;
      this.dtype = dtype;
      this.eod = eod;
      this.ranges = ranges;
      this.seqLen = seqLen;
    }

    @Override
    public Iterator<Written> call(Integer part, Iterator<Tuple2<Long, InternalRow>> rows)
        throws IOException {
      long first = ranges.firstRow(part);
      long end = ranges.firstRow(part + 1);
      String prefix = String.format(Locale.ROOT, "part-%05d", part);
      Path bin = new Path(output, prefix + ".bin");
      FileSystem fs = bin.getFileSystem(conf.value().get());
      RowDigest xor = new RowDigest(); // a local sum, not registered: the task returns its value
      RowDigest.Lanes digest = new RowDigest.Lanes(xor);
      DocumentRuns runs = new DocumentRuns();
      long expected = first;
      MegatronIndex index;
      try (OutputStream b = new BufferedOutputStream(fs.create(bin, true), 1 << 20)) {
        index =
            new MegatronIndex(dtype, b, eod == NO_EOD ? OptionalInt.empty() : OptionalInt.of(eod));
        while (rows.hasNext()) {
          InternalRow r = rows.next()._2();
          if (r.isNullAt(0)) {
            throw new IllegalStateException("a row of the input has no row number");
          }
          long row = r.getLong(0);
          if (row != expected) {
            throw new IllegalStateException(
                row < expected
                    ? "packed row " + row + " appears more than once in the input"
                    : row >= end
                        ? "packed row " + row + " is beyond the manifest's rows"
                        : "packed row " + expected + " is missing from the input");
          }
          expected++;
          write(r, index, runs);
          digest.add(r);
        }
      }
      if (expected != end) {
        throw new IllegalStateException(
            "packed rows " + expected + ".." + (end - 1) + " are missing from the input");
      }
      digest.flush();
      try (OutputStream idx = fs.create(new Path(output, prefix + ".idx"), true)) {
        index.writeIndex(idx);
      }
      return List.of(
              new Written(
                  new ExportManifest.FilePair(
                      prefix,
                      first,
                      end - first,
                      index.sequences(),
                      index.documents(),
                      index.tokens(),
                      index.eodAppended(),
                      index.binBytes(),
                      index.indexBytes()),
                  xor.value()))
          .iterator();
    }

    /** One row's spans as sequences, once the row is checked. */
    private void write(InternalRow r, MegatronIndex index, DocumentRuns runs) throws IOException {
      long row = r.getLong(0);
      for (int c = 1; c < PackedSchema.ROWS.size(); c++) {
        if (r.isNullAt(c)) {
          throw new SpanTiling.BrokenRowException(
              row, PackedSchema.ROWS.apply(c).name() + " is null (not a packed rows file?)");
        }
      }
      ArrayData idData = r.getArray(1);
      ArrayData spans = r.getArray(2);
      int n = spans.numElements();
      int[] starts = new int[n];
      int[] lengths = new int[n];
      int[] froms = new int[n];
      boolean[] continuations = new boolean[n];
      for (int i = 0; i < n; i++) {
        InternalRow s = spans.getStruct(i, PackedSchema.SPANS.size());
        starts[i] = s.getInt(0);
        lengths[i] = s.getInt(1);
        froms[i] = s.getInt(6);
        continuations[i] = s.getBoolean(7);
      }
      SpanTiling.check(
          row,
          seqLen,
          idData.numElements(),
          r.getInt(3),
          r.getInt(4),
          starts,
          lengths,
          froms,
          continuations);
      int[] ids = idData.toIntArray();
      for (int i = 0; i < n; i++) {
        InternalRow s = spans.getStruct(i, PackedSchema.SPANS.size());
        for (int k = starts[i]; k < starts[i] + lengths[i]; k++) {
          if (!dtype.holds(ids[k])) {
            throw new IllegalStateException(
                "packed row "
                    + row
                    + ": id "
                    + ids[k]
                    + " at "
                    + k
                    + " does not fit "
                    + dtype.name().toLowerCase(Locale.ROOT)
                    + " (--dtype int32 holds every id)");
          }
        }
        boolean begins = runs.begins(s.getLong(3), s.getInt(4), s.getInt(5), froms[i], lengths[i]);
        index.add(ids, starts[i], lengths[i], begins);
      }
    }
  }
}
