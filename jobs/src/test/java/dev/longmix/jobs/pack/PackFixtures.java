package dev.longmix.jobs.pack;

import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.histogram.HistogramConfig;
import dev.longmix.jobs.histogram.HistogramJob;
import dev.longmix.jobs.tokenize.TokenizeJob;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** A tiny tokenized dataset written straight with Spark (no tokenizer), and stage helpers. */
final class PackFixtures {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  /** Token ids of every fixture document, by doc id. */
  final Map<Long, int[]> docs = new HashMap<>();

  final String input;
  final String histogram;

  private PackFixtures(String input, String histogram) {
    this.input = input;
    this.histogram = histogram;
  }

  /**
   * Three domains: A mostly short, B with several long documents, C mixed; seeded so every run sees
   * the same corpus.
   */
  static PackFixtures write(SparkSession spark, Path dir, int partitions) {
    PackFixtures f =
        new PackFixtures(dir.resolve("tok").toString(), dir.resolve("hist").toString());
    Random rnd = new Random(42);
    List<Row> rows = new ArrayList<>();
    String[] domains = {"A", "B", "C"};
    long id = 1000;
    for (String d : domains) {
      for (int i = 0; i < 120; i++) {
        boolean isLong = d.equals("B") ? i % 3 == 0 : d.equals("C") ? i % 8 == 0 : i % 40 == 0;
        int n = isLong ? 4097 + rnd.nextInt(20_000) : 20 + rnd.nextInt(2_000);
        int[] ids = new int[n];
        ids[0] = 1;
        for (int j = 1; j < n; j++) {
          ids[j] = 3 + rnd.nextInt(31_997);
        }
        long docId = id++ * 7919;
        f.docs.put(docId, ids);
        rows.add(RowFactory.create(docId, d, n, n * 4, ids, "fixture", (long) i));
      }
    }
    spark
        .createDataFrame(rows, TokenizeJob.SCHEMA)
        .repartition(partitions)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(f.input);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stage", "tokenize");
    m.put("complete", true);
    m.put("fingerprint", "fixture");
    m.put("tokenizer", Map.of("sha256", "none"));
    dev.longmix.jobs.TestManifests.write(spark.sparkContext().hadoopConfiguration(), f.input, m);
    HistogramJob.run(
        spark, HistogramConfig.of(f.input, f.histogram, 4096, "fixture", Map.of()), QUIET);
    return f;
  }

  long tokens() {
    return docs.values().stream().mapToLong(a -> a.length).sum();
  }

  /** Packs with command-line style arguments (input, histogram and output filled in). */
  PackJob.Result pack(SparkSession spark, String output, String... args) {
    return pack(spark, output, QUIET, args);
  }

  /** {@link #pack(SparkSession, String, String...)}, printing to {@code out}. */
  PackJob.Result pack(SparkSession spark, String output, PrintStream out, String... args) {
    List<String> all =
        new ArrayList<>(List.of("--input", input, "--histogram", histogram, "--output", output));
    all.addAll(List.of(args));
    Settings s = Settings.parse(PackConfig.spec(), all.toArray(String[]::new));
    PackConfig cfg = PackConfig.from(s, spark.sparkContext().hadoopConfiguration());
    return PackJob.run(spark, cfg, out);
  }

  /** Packed rows ordered by row index. */
  static List<Row> rows(SparkSession spark, String output) {
    return spark.read().parquet(output).orderBy("row").collectAsList();
  }
}
