package dev.longmix.jobs.tokenize;

import dev.longmix.common.corpus.CorpusFormat;
import dev.longmix.jobs.spark.DirectParquetFormat;
import dev.longmix.jobs.spark.Frames;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.KeyedCounts;
import dev.longmix.jobs.spark.LiveCounters;
import dev.longmix.jobs.spark.Manifests;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.spark.ParquetFooters;
import dev.longmix.jobs.spark.Progress;
import dev.longmix.jobs.spark.Versions;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  /** What a run did, with the counts that must reconcile. */
  public record Result(
      long read,
      long documents,
      long rejected,
      long tokens,
      Map<String, Map<String, Long>> domains,
      Map<String, Long> rejectReasons,
      double seconds,
      boolean acceptedRejectFraction,
      Map<String, Object> manifest) {}

  public static Result run(SparkSession spark, TokenizeConfig cfg, PrintStream out) {
    long t0 = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf hconf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    OutputGuard.begin(hconf.get(), cfg.output(), cfg.fingerprint());
    List<InputFile> files = cfg.files();
    Broadcast<String> tokenizer = jsc.broadcast(cfg.tokenizer().json());
    TokenizeCounters counters = new TokenizeCounters(spark.sparkContext());

    List<InputFile> lineFiles = new ArrayList<>();
    List<InputFile> parquetFiles = new ArrayList<>();
    for (InputFile f : files) {
      (f.format() == CorpusFormat.PARQUET ? parquetFiles : lineFiles).add(f);
    }
    Map<String, InputFile> parquetByPath = ParquetInput.byPath(parquetFiles);
    JavaRDD<InternalRow> docs =
        jsc.parallelize(lineFiles, Math.max(1, lineFiles.size()))
            .mapPartitions(new TokenizePartition(hconf, cfg.settings(), tokenizer, counters));
    if (!parquetFiles.isEmpty()) {
      docs =
          docs.union(
              ParquetInput.read(spark, parquetFiles, cfg.settings())
                  .javaRDD()
                  .mapPartitions(
                      new ParquetInput.Tokenize(
                          cfg.settings(), tokenizer, counters, parquetByPath)));
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

    String rejectsDir = cfg.output() + "/" + REJECTS_DIR;
    TreeSet<Integer> bad = new TreeSet<>(counters.filesWithRejects.value());
    List<InputFile> badFiles = new ArrayList<>();
    List<InputFile> badParquet = new ArrayList<>();
    for (int i : bad) {
      (files.get(i).format() == CorpusFormat.PARQUET ? badParquet : badFiles).add(files.get(i));
    }
    JavaRDD<Row> rejects =
        jsc.parallelize(badFiles, Math.max(1, badFiles.size()))
            .mapPartitions(new RejectsPartition(hconf, cfg.settings()));
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
                  .mapPartitions(new ParquetInput.Rejects(cfg.settings(), parquetByPath)));
    }
    // The rejects' reasons are tallied by the tasks that write them.
    KeyedCounts reasonCounts =
        KeyedCounts.register(spark.sparkContext(), "longmix.reject.reasons", 1);
    spark
        .createDataFrame(
            rejects.map(
                r -> {
                  reasonCounts.add(r.getString(2), 1, 0, 0);
                  return r;
                }),
            REJECTS_SCHEMA)
        .coalesce(Math.max(1, Math.min(64, badFiles.size())))
        .write()
        .mode(SaveMode.Overwrite)
        .option("compression", "zstd")
        .parquet(rejectsDir);

    // Counts: the writing tasks tallied them (each partition's successful attempt once), and the
    // committed files' footers must hold exactly as many rows: what the manifest says is what
    // exists. Footers only, so this costs a few reads per file, not a pass over the data.
    Map<String, Map<String, Long>> domains = new TreeMap<>();
    long documents = 0;
    long tokens = 0;
    for (Map.Entry<String, long[]> e : counters.domains.value().entrySet()) {
      Map<String, Long> d = new LinkedHashMap<>();
      d.put("documents", e.getValue()[0]);
      d.put("tokens", e.getValue()[1]);
      d.put("chars", e.getValue()[2]);
      domains.put(e.getKey(), d);
      documents += e.getValue()[0];
      tokens += e.getValue()[1];
    }
    Map<String, Long> reasons = new TreeMap<>();
    long rejected = 0;
    for (Map.Entry<String, long[]> e : reasonCounts.value().entrySet()) {
      reasons.put(e.getKey(), e.getValue()[0]);
      rejected += e.getValue()[0];
    }
    long documentRows = ParquetFooters.rows(jsc, hconf, cfg.output());
    long rejectRows = ParquetFooters.rows(jsc, hconf, rejectsDir);
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
    long read = documents + rejected;
    double seconds = (System.nanoTime() - t0) / 1e9;
    double fraction = read == 0 ? 0 : (double) rejected / read;
    boolean ok = fraction <= cfg.maxRejectFraction();

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stage", "tokenize");
    m.put("complete", ok);
    m.put("fingerprint", cfg.fingerprint());
    m.put("created", Instant.now().toString());
    m.put("config", cfg.resolved());
    m.put("tokenizer", cfg.tokenizer().describe());
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("path", cfg.input());
    input.put("files", files.size());
    input.put("bytes", files.stream().mapToLong(InputFile::bytes).sum());
    m.put("input", input);
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("read", read);
    counts.put("documents", documents);
    counts.put("rejected", rejected);
    counts.put("tokens", tokens);
    counts.put("reject_fraction", fraction);
    counts.put("max_reject_fraction", cfg.maxRejectFraction());
    m.put("counts", counts);
    m.put("domains", domains);
    m.put("reject_reasons", reasons);
    m.put("rejects_path", rejectsDir);
    Map<String, Object> timing = new LinkedHashMap<>();
    timing.put("seconds", Math.round(seconds * 1000) / 1000.0);
    timing.put("tokens_per_second", Math.round(tokens / Math.max(seconds, 1e-9)));
    timing.put("cores", spark.sparkContext().defaultParallelism());
    m.put("timing", timing);
    if (counters.words() > 0) {
      Map<String, Object> memo = new LinkedHashMap<>();
      memo.put("words", counters.words());
      memo.put("memoized", counters.wordsMemoized());
      memo.put("memoized_fraction", (double) counters.wordsMemoized() / counters.words());
      m.put("word_memo", memo);
    }
    m.put("versions", Versions.all());
    Map<String, Object> rejectsManifest = new LinkedHashMap<>();
    rejectsManifest.put("stage", "tokenize-rejects");
    rejectsManifest.put("complete", true);
    rejectsManifest.put("fingerprint", cfg.fingerprint());
    rejectsManifest.put("rejected", rejected);
    rejectsManifest.put("reject_reasons", reasons);
    rejectsManifest.put(
        "schema", "source string, line long (0: the file itself), reason, detail, snippet");
    Manifests.write(hconf.get(), rejectsDir, rejectsManifest);
    Manifests.write(hconf.get(), cfg.output(), m);
    return new Result(read, documents, rejected, tokens, domains, reasons, seconds, ok, m);
  }
}
