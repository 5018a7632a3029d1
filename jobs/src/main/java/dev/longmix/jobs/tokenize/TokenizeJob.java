package dev.longmix.jobs.tokenize;

import dev.longmix.common.corpus.CorpusFormat;
import dev.longmix.jobs.fast.DirectParquetFormat;
import dev.longmix.jobs.fast.Frames;
import dev.longmix.jobs.manifest.ManifestHeader;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.manifest.RejectsManifest;
import dev.longmix.jobs.manifest.TokenizeManifest;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.KeyedCounts;
import dev.longmix.jobs.spark.LiveCounters;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.spark.ParquetFooters;
import dev.longmix.jobs.spark.Progress;
import dev.longmix.jobs.spark.TaskHook;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Stage 1: corpus files → a Parquet dataset of tokenized documents, plus a rejects dataset. */
public final class TokenizeJob {
  /** Schema of the tokenized dataset; the histogram and pack stages read it. */
  public static final StructType SCHEMA =
      new StructType()
          .add("doc_id", DataTypes.LongType, false)
          .add("domain", DataTypes.StringType, false)
          .add("n_tokens", DataTypes.IntegerType, false)
          .add("n_chars", DataTypes.IntegerType, false)
          .add("input_ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add("source", DataTypes.StringType, false)
          .add("line", DataTypes.LongType, false);

  /** Schema of the rejects dataset. */
  public static final StructType REJECTS_SCHEMA =
      new StructType()
          .add("source", DataTypes.StringType, false)
          .add("line", DataTypes.LongType, false)
          .add("reason", DataTypes.StringType, false)
          .add("detail", DataTypes.StringType, true)
          .add("snippet", DataTypes.StringType, true);

  public static final String REJECTS_DIR = "_rejects";

  private TokenizeJob() {}

  /**
   * What a run did, with the counts that must reconcile.
   *
   * @param read records read: documents plus rejects
   * @param documents documents written
   * @param rejected records rejected, each a row of the rejects dataset
   * @param tokens tokens written
   * @param seconds in-job seconds
   * @param acceptedRejectFraction whether the rejects stayed within --max-reject-fraction
   * @param manifest the manifest body written beside the documents
   */
  public record Result(
      long read,
      long documents,
      long rejected,
      long tokens,
      double seconds,
      boolean acceptedRejectFraction,
      TokenizeManifest manifest) {}

  /** What the writing tasks counted, checked against what the written files hold. */
  private record Counted(
      Map<String, TokenizeManifest.DomainCounts> domains,
      long documents,
      long tokens,
      Map<String, Long> reasons,
      long rejected) {}

  public static Result run(SparkSession spark, TokenizeConfig cfg, PrintStream out) {
    long t0 = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf hconf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    OutputGuard.begin(hconf.get(), cfg.output(), cfg.fingerprint());
    TokenizeCounters counters = new TokenizeCounters(spark.sparkContext());

    writeDocuments(spark, cfg, counters, out, t0);
    KeyedCounts reasons = writeRejects(spark, cfg, counters);
    Counted counted = reconcile(jsc, hconf, cfg, counters, reasons);

    long read = counted.documents() + counted.rejected();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double fraction = read == 0 ? 0 : (double) counted.rejected() / read;
    boolean ok = fraction <= cfg.maxRejectFraction();
    TokenizeManifest manifest = manifest(spark, cfg, counters, counted, seconds, fraction);
    Manifests.write(
        hconf.get(),
        rejectsDir(cfg),
        ManifestHeader.now(RejectsManifest.STAGE, true, cfg.fingerprint(), cfg.resolved()),
        new RejectsManifest(
            counted.rejected(),
            counted.reasons(),
            "source string, line long (0: the file itself), reason, detail, snippet"));
    Manifests.write(
        hconf.get(),
        cfg.output(),
        ManifestHeader.now(TokenizeManifest.STAGE, ok, cfg.fingerprint(), cfg.resolved()),
        manifest);
    return new Result(
        read, counted.documents(), counted.rejected(), counted.tokens(), seconds, ok, manifest);
  }

  private static String rejectsDir(TokenizeConfig cfg) {
    return cfg.output() + "/" + REJECTS_DIR;
  }

  /**
   * Tokenizes every input file into the documents dataset: line files one task each (each task
   * streams its files whole, so every document keeps its source and line), Parquet files through
   * Spark's reader; rejects are counted here, per file, and recorded by {@link #writeRejects}.
   */
  private static void writeDocuments(
      SparkSession spark, TokenizeConfig cfg, TokenizeCounters counters, PrintStream out, long t0) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf hconf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    List<InputFile> files = cfg.files();
    Broadcast<String> tokenizer = jsc.broadcast(cfg.tokenizer().json());
    List<InputFile> lineFiles = new ArrayList<>();
    List<InputFile> parquetFiles = new ArrayList<>();
    for (InputFile f : files) {
      (f.format() == CorpusFormat.PARQUET ? parquetFiles : lineFiles).add(f);
    }
    Map<String, InputFile> parquetByPath = ParquetInput.byPath(parquetFiles);
    JavaRDD<InternalRow> docs =
        jsc.parallelize(lineFiles, Math.max(1, lineFiles.size()))
            .mapPartitions(
                TaskHook.wrap(
                    "tokenize", new TokenizePartition(hconf, cfg.settings(), tokenizer, counters)));
    if (!parquetFiles.isEmpty()) {
      docs =
          docs.union(
              ParquetInput.read(spark, parquetFiles, cfg.settings())
                  .javaRDD()
                  .mapPartitions(
                      TaskHook.wrap(
                          "tokenize",
                          new ParquetInput.Tokenize(
                              cfg.settings(), tokenizer, counters, parquetByPath))));
    }
    long totalBytes = Math.max(1, files.stream().mapToLong(InputFile::bytes).sum());
    try (LiveCounters live = new LiveCounters(spark.sparkContext());
        Progress p =
            new Progress(
                "tokenize",
                cfg.progressSeconds(),
                () ->
                    String.format(
                        Locale.ROOT,
                        "%d/%d files, %,d documents, %,d tokens (%,.0f tokens/s), %,d rejected",
                        counters.files(),
                        files.size(),
                        live.value(counters.documents),
                        live.value(counters.tokens),
                        live.value(counters.tokens)
                            / Math.max(1e-9, (System.nanoTime() - t0) / 1e9),
                        live.value(counters.rejected)),
                () -> (double) live.value(counters.bytes) / totalBytes,
                out)) {
      Frames.fromInternalRows(spark, docs, SCHEMA)
          .write()
          .mode(SaveMode.Append)
          .option("compression", "zstd")
          .option("parquet.enable.dictionary#input_ids.list.element", "false")
          .format(DirectParquetFormat.NAME)
          .save(cfg.output());
    }
  }

  /**
   * Records every reject with its reason: a second pass re-reads only the files that had any (a
   * clean corpus is read once), plus the tokenizer's errors the first pass kept. The writing tasks
   * tally the reasons, returned for {@link #reconcile}.
   */
  private static KeyedCounts writeRejects(
      SparkSession spark, TokenizeConfig cfg, TokenizeCounters counters) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf hconf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    List<InputFile> files = cfg.files();
    TreeSet<Integer> bad = new TreeSet<>(counters.filesWithRejects.value());
    List<InputFile> badFiles = new ArrayList<>();
    List<InputFile> badParquet = new ArrayList<>();
    for (int i : bad) {
      (files.get(i).format() == CorpusFormat.PARQUET ? badParquet : badFiles).add(files.get(i));
    }
    Map<String, InputFile> parquetByPath = ParquetInput.byPath(badParquet);
    JavaRDD<Row> rejects =
        jsc.parallelize(badFiles, Math.max(1, badFiles.size()))
            .mapPartitions(TaskHook.wrap("tokenize", new RejectsPartition(hconf, cfg.settings())));
    List<Row> tokenizerErrors = new ArrayList<>();
    for (RejectRecord r : counters.tokenizerErrors.value()) {
      tokenizerErrors.add(
          RowFactory.create(r.source(), r.line(), r.reason(), r.detail(), r.snippet()));
    }
    rejects = rejects.union(jsc.parallelize(tokenizerErrors, 1));
    if (!badParquet.isEmpty()) {
      rejects =
          rejects.union(
              ParquetInput.read(spark, badParquet, cfg.settings())
                  .javaRDD()
                  .mapPartitions(
                      TaskHook.wrap(
                          "tokenize", new ParquetInput.Rejects(cfg.settings(), parquetByPath))));
    }
    KeyedCounts reasonCounts =
        KeyedCounts.register(spark.sparkContext(), "longmix.reject.reasons", 1);
    spark
        .createDataFrame(
            rejects.mapPartitions(
                TaskHook.wrap(
                    "tokenize",
                    (Iterator<Row> rows) ->
                        new Iterator<Row>() {
                          @Override
                          public boolean hasNext() {
                            return rows.hasNext();
                          }

                          @Override
                          public Row next() {
                            Row r = rows.next();
                            reasonCounts.add(r.getString(2), 1, 0, 0);
                            return r;
                          }
                        })),
            REJECTS_SCHEMA)
        .coalesce(Math.max(1, Math.min(64, badFiles.size())))
        .write()
        .mode(SaveMode.Overwrite)
        .option("compression", "zstd")
        .parquet(rejectsDir(cfg));
    return reasonCounts;
  }

  /**
   * The counts the writing tasks tallied (each partition's successful attempt once), checked
   * against the committed files' footers: what the manifest says is what exists. Footers only, so
   * this costs a few reads per file, not a pass over the data.
   */
  private static Counted reconcile(
      JavaSparkContext jsc,
      HadoopConf hconf,
      TokenizeConfig cfg,
      TokenizeCounters counters,
      KeyedCounts reasonCounts) {
    Map<String, TokenizeManifest.DomainCounts> domains = new TreeMap<>();
    long documents = 0;
    long tokens = 0;
    for (Map.Entry<String, long[]> e : counters.domains.value().entrySet()) {
      long[] v = e.getValue();
      domains.put(e.getKey(), new TokenizeManifest.DomainCounts(v[0], v[1], v[2]));
      documents += v[0];
      tokens += v[1];
    }
    Map<String, Long> reasons = new TreeMap<>();
    long rejected = 0;
    for (Map.Entry<String, long[]> e : reasonCounts.value().entrySet()) {
      reasons.put(e.getKey(), e.getValue()[0]);
      rejected += e.getValue()[0];
    }
    long documentRows = ParquetFooters.rows(jsc, hconf, cfg.output());
    long rejectRows = ParquetFooters.rows(jsc, hconf, rejectsDir(cfg));
    if (documents != counters.documents()
        || tokens != counters.tokens()
        || documentRows != documents
        || rejected != counters.rejected()
        || rejectRows != rejected) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "counts do not reconcile: tasks saw %d documents (%d by domain, %d tokens of %d)"
                  + " and %d rejects (%d by reason); the output's footers hold %d documents and"
                  + " %d rejects",
              counters.documents(),
              documents,
              tokens,
              counters.tokens(),
              counters.rejected(),
              rejected,
              documentRows,
              rejectRows));
    }
    return new Counted(domains, documents, tokens, reasons, rejected);
  }

  /** The named sources with their files and bytes; null for an unnamed corpus. */
  private static List<TokenizeManifest.Source> sources(TokenizeConfig cfg) {
    if (!cfg.inputs().get(0).named()) {
      return null;
    }
    List<TokenizeManifest.Source> out = new ArrayList<>();
    for (CorpusInput in : cfg.inputs()) {
      List<InputFile> own = cfg.files().stream().filter(f -> in.name().equals(f.domain())).toList();
      out.add(
          new TokenizeManifest.Source(
              in.name(), in.path(), own.size(), own.stream().mapToLong(InputFile::bytes).sum()));
    }
    return out;
  }

  private static TokenizeManifest manifest(
      SparkSession spark,
      TokenizeConfig cfg,
      TokenizeCounters counters,
      Counted c,
      double seconds,
      double rejectFraction) {
    TokenizerSource t = cfg.tokenizer();
    return new TokenizeManifest(
        new TokenizeManifest.Tokenizer(t.spec(), t.origin(), t.sha256()),
        new TokenizeManifest.Input(
            cfg.input(),
            cfg.files().size(),
            cfg.files().stream().mapToLong(InputFile::bytes).sum(),
            sources(cfg)),
        new TokenizeManifest.Counts(
            c.documents() + c.rejected(),
            c.documents(),
            c.rejected(),
            c.tokens(),
            rejectFraction,
            cfg.maxRejectFraction()),
        c.domains(),
        c.reasons(),
        rejectsDir(cfg),
        new TokenizeManifest.Timing(
            Math.round(seconds * 1000) / 1000.0,
            Math.round(c.tokens() / Math.max(seconds, 1e-9)),
            spark.sparkContext().defaultParallelism()),
        counters.words() == 0
            ? null
            : new TokenizeManifest.WordMemo(
                counters.words(),
                counters.wordsMemoized(),
                (double) counters.wordsMemoized() / counters.words()));
  }
}
