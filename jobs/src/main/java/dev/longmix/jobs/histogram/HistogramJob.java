package dev.longmix.jobs.histogram;

import static org.apache.spark.sql.functions.col;

import dev.longmix.common.histogram.LengthBins;
import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.jobs.manifest.HistogramManifest;
import dev.longmix.jobs.manifest.ManifestHeader;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.manifest.TokenizeManifest;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.spark.Progress;
import dev.longmix.jobs.spark.StageProgress;
import dev.longmix.jobs.spark.TaskHook;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Stage 2a: tokenized dataset → per-domain length histograms. */
public final class HistogramJob {
  /** Log-spaced bins: 4 per doubling up to 2^24 tokens, then overflow. */
  public static final int LOG_PER_OCTAVE = 4;

  public static final int LOG_MAX_LOG2 = 24;

  /** Schema of the Parquet rows beside histogram.json. */
  public static final StructType SCHEMA =
      new StructType()
          .add("domain", DataTypes.StringType, false)
          .add("bins", DataTypes.StringType, false)
          .add("bin", DataTypes.IntegerType, false)
          .add("bin_label", DataTypes.StringType, false)
          .add("documents", DataTypes.LongType, false)
          .add("tokens", DataTypes.LongType, false);

  /**
   * Sub-directory of the Parquet rows: Spark would try to read histogram.json as Parquet if the
   * rows sat beside it (only names starting with _ or . are skipped).
   */
  public static final String ROWS_DIR = "rows";

  private HistogramJob() {}

  /** What a run produced. */
  public record Result(LengthHistogram fig2, LengthHistogram log, HistogramManifest manifest) {}

  /** Both histograms of one partition or of the whole input; merging is order-independent. */
  static final class Pair implements Serializable {
    private static final long serialVersionUID = 1L;
    final LengthHistogram fig2;
    final LengthHistogram log;

    Pair(long longThreshold) {
      fig2 = new LengthHistogram(LengthBins.fig2(), longThreshold);
      log = new LengthHistogram(LengthBins.logSpaced(LOG_PER_OCTAVE, LOG_MAX_LOG2), longThreshold);
    }

    Pair merge(Pair o) {
      fig2.merge(o.fig2);
      log.merge(o.log);
      return this;
    }
  }

  /** Counts one partition's (domain, n_tokens) rows. */
  static final class CountPartition implements FlatMapFunction<Iterator<Row>, Pair> {
    private static final long serialVersionUID = 1L;
    private final long longThreshold;

    CountPartition(long longThreshold) {
      this.longThreshold = longThreshold;
    }

    @Override
    public Iterator<Pair> call(Iterator<Row> input) {
      Iterator<Row> rows = input;
      Pair p = new Pair(longThreshold);
      while (rows.hasNext()) {
        Row r = rows.next();
        String domain = r.getString(0);
        long n = r.getInt(1);
        p.fig2.add(domain, n);
        p.log.add(domain, n);
      }
      return List.of(p).iterator();
    }
  }

  /** Reads {@code domain, n_tokens} of the input and returns both histograms, merged. */
  public static Pair count(SparkSession spark, String input, long longThreshold) {
    return count(spark, input, longThreshold, null);
  }

  /** {@link #count}, each row counted by {@code pass} (when not null) as it is read. */
  static Pair count(SparkSession spark, String input, long longThreshold, StageProgress.Pass pass) {
    Dataset<Row> rows = spark.read().parquet(input).select(col("domain"), col("n_tokens"));
    if (pass != null) {
      rows = rows.where(pass.count(col("n_tokens")));
    }
    return rows.javaRDD()
        .mapPartitions(TaskHook.wrap("histogram", new CountPartition(longThreshold)))
        .treeReduce(Pair::merge);
  }

  /** Runs with progress every {@link Progress#INTERVAL_SECONDS_DEFAULT} seconds. */
  public static Result run(SparkSession spark, HistogramConfig cfg, PrintStream out) {
    return run(spark, cfg, out, Progress.INTERVAL_SECONDS_DEFAULT);
  }

  /**
   * Runs, printing documents and tokens read, the rate and the time left every {@code
   * progressSeconds} (0: never). The totals come from the tokenized input's manifest; without one
   * (a dataset not written by tokenize) only the counts so far are printed.
   */
  public static Result run(
      SparkSession spark, HistogramConfig cfg, PrintStream out, long progressSeconds) {
    Optional<TokenizeManifest.Counts> input =
        Manifests.read(
                spark.sparkContext().hadoopConfiguration(), cfg.input(), TokenizeManifest.class)
            .map(m -> m.body().counts())
            .filter(java.util.Objects::nonNull);
    long documents = input.map(TokenizeManifest.Counts::documents).orElse(-1L);
    long tokens = input.map(TokenizeManifest.Counts::tokens).orElse(-1L);
    try (StageProgress progress = StageProgress.create(spark, "histogram", progressSeconds, out)) {
      // One pass, whose cost is per row: it reads each document's domain and length, not its ids.
      StageProgress.Pass pass = progress.pass("", "documents", documents, tokens, 1, false);
      progress.start();
      return runSteps(spark, cfg, out, pass);
    }
  }

  private static Result runSteps(
      SparkSession spark, HistogramConfig cfg, PrintStream out, StageProgress.Pass pass) {
    long t0 = System.nanoTime();
    HadoopConf hconf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    OutputGuard.begin(hconf.get(), cfg.output(), cfg.fingerprint());
    Pair h = count(spark, cfg.input(), cfg.longThreshold(), pass);

    List<Row> rows = new ArrayList<>();
    addRows(rows, "fig2", h.fig2);
    addRows(rows, "log", h.log);
    spark
        .createDataFrame(rows, SCHEMA)
        .coalesce(1)
        .write()
        .mode(SaveMode.Append)
        .option("compression", "zstd")
        .parquet(cfg.output() + "/" + ROWS_DIR);
    HistogramFiles.write(
        hconf.get(), cfg.output(), HistogramFiles.document(h.fig2, h.log, cfg.inputFingerprint()));

    HistogramManifest m =
        new HistogramManifest(
            cfg.inputFingerprint(),
            cfg.input(),
            cfg.longThreshold(),
            h.fig2.documents(),
            h.fig2.tokens(),
            h.fig2.longShare(),
            h.fig2.domains(),
            HistogramFiles.FILE,
            ROWS_DIR,
            Math.round((System.nanoTime() - t0) / 1e6) / 1000.0);
    HistogramReport.write(hconf.get(), cfg.output(), cfg.input(), h.fig2);
    Manifests.write(
        hconf.get(),
        cfg.output(),
        ManifestHeader.now(HistogramManifest.STAGE, true, cfg.fingerprint(), cfg.resolved()),
        m);
    out.print(table(h.fig2));
    return new Result(h.fig2, h.log, m);
  }

  private static void addRows(List<Row> rows, String name, LengthHistogram h) {
    for (String d : h.domains()) {
      for (int b = 0; b < h.bins().count(); b++) {
        rows.add(
            RowFactory.create(d, name, b, h.bins().label(b), h.documents(d, b), h.tokens(d, b)));
      }
    }
  }

  /** Per-domain table: documents, tokens, share, long share, and token shares per Fig. 2 bin. */
  public static String table(LengthHistogram h) {
    StringBuilder sb = new StringBuilder();
    sb.append(f("%-24s %10s %14s %7s %7s", "domain", "documents", "tokens", "share", "long"));
    for (String label : h.bins().labels()) {
      sb.append(f(" %8s", label));
    }
    sb.append('\n');
    for (String d : h.domains()) {
      sb.append(
          f(
              "%-24s %,10d %,14d %7.4f %7.4f",
              d, h.documents(d), h.tokens(d), h.tokenShare(d), h.longShare(d)));
      for (int b = 0; b < h.bins().count(); b++) {
        sb.append(f(" %8.4f", h.tokens(d) == 0 ? 0.0 : (double) h.tokens(d, b) / h.tokens(d)));
      }
      sb.append('\n');
    }
    sb.append(
        f("%-24s %,10d %,14d %7.4f %7.4f", "total", h.documents(), h.tokens(), 1.0, h.longShare()));
    for (int b = 0; b < h.bins().count(); b++) {
      sb.append(f(" %8.4f", h.binTokenShare(b)));
    }
    sb.append('\n');
    return sb.toString();
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
