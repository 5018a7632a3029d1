package dev.longmix.jobs.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.spark.StageProgress;
import dev.longmix.jobs.tokenize.TokenizeJob;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramJobTest {
  @TempDir Path dir;

  @Test
  void histogramDoesNotDependOnPartitioningAndReadsBackFromJson() {
    SparkSession spark = LocalSpark.get();
    List<Row> rows = new ArrayList<>();
    LengthHistogram expected = LengthHistogram.fig2();
    for (int i = 0; i < 500; i++) {
      String d = i % 3 == 0 ? "A" : "B";
      int n = 1 + (i * 7919) % 20_000;
      expected.add(d, n);
      rows.add(RowFactory.create((long) i, d, n, n, new int[] {1}, "x", (long) i));
    }
    String one = dir.resolve("one").toString();
    String many = dir.resolve("many").toString();
    spark
        .createDataFrame(rows, TokenizeJob.SCHEMA)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(one);
    spark
        .createDataFrame(rows, TokenizeJob.SCHEMA)
        .repartition(9)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(many);
    HistogramJob.Pair a = HistogramJob.count(spark, one, 4096);
    HistogramJob.Pair b = HistogramJob.count(spark, many, 4096);
    assertEquals(expected, a.fig2);
    assertEquals(a.fig2, b.fig2);
    assertEquals(a.log, b.log);

    String out = dir.resolve("hist").toString();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    HistogramJob.run(spark, HistogramConfig.of(many, out, 4096, "fp", Map.of()), quiet);
    HistogramFiles.Loaded loaded =
        HistogramFiles.read(spark.sparkContext().hadoopConfiguration(), "histogram", out);
    assertEquals(expected, loaded.fig2());
    assertEquals("fp", loaded.inputFingerprint());
    long parquetTokens =
        spark
            .read()
            .parquet(out + "/" + HistogramJob.ROWS_DIR)
            .where("bins = 'fig2'")
            .agg(org.apache.spark.sql.functions.sum("tokens"))
            .first()
            .getLong(0);
    assertEquals(expected.tokens(), parquetTokens);
  }

  @Test
  void progressCountsEveryRowOnceAndPrintsCountsRateAndTimeLeft() {
    SparkSession spark = LocalSpark.get();
    List<Row> rows = new ArrayList<>();
    long tokens = 0;
    for (int i = 0; i < 2000; i++) {
      int n = 1 + (i * 7919) % 20_000;
      tokens += n;
      rows.add(RowFactory.create((long) i, i % 2 == 0 ? "A" : "B", n, n, new int[] {1}, "x", 1L));
    }
    String in = dir.resolve("counted").toString();
    spark
        .createDataFrame(rows, TokenizeJob.SCHEMA)
        .repartition(40)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(in);
    try (StageProgress p = StageProgress.create(spark, "histogram", 0, System.out)) {
      StageProgress.Pass pass = p.pass("", "documents", 2000, tokens, 1, false);
      HistogramJob.count(spark, in, 4096, pass);
      assertEquals(2000, pass.items(), "every row counted once");
      assertEquals(tokens, pass.tokens());
    }

    // The totals come from the input's manifest, as tokenize writes it.
    dev.longmix.jobs.TestManifests.write(
        spark.sparkContext().hadoopConfiguration(),
        in,
        Map.of("counts", Map.of("documents", 2000, "tokens", tokens)));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    HistogramJob.run(
        spark,
        HistogramConfig.of(in, dir.resolve("counted-hist").toString(), 4096, "fp", Map.of()),
        new PrintStream(buf, true, StandardCharsets.UTF_8),
        1);
    double seconds = (System.nanoTime() - t0) / 1e9;
    List<String> lines =
        buf.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("% done")).toList();
    String pattern =
        String.format(
            Locale.ROOT,
            "\\[histogram\\] [\\d,]+/2,000 documents, [\\d,]+/%,d tokens \\([\\d,]+ tokens/s\\),"
                + " Spark tasks \\d+/\\d+, \\d+%% done, elapsed \\w+, left ~[\\w?]+",
            tokens);
    for (String l : lines) {
      assertTrue(l.matches(pattern), l + " matches " + pattern);
    }
    // Lines come every second from a thread; a run of over 2 s must have printed one.
    assertTrue(seconds < 2 || !lines.isEmpty(), seconds + " s and no progress line:\n" + buf);
  }
}
