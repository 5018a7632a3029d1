package dev.longmix.jobs.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.pack.PackOutcome;
import dev.longmix.jobs.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PackJobTest {
  static final int SEQ_LEN = 2048;

  @TempDir static Path dir;
  static PackFixtures fx;
  static long budget;

  @BeforeAll
  static void fixture() {
    fx = PackFixtures.write(LocalSpark.get(), dir, 3);
    budget = fx.tokens() / 4;
  }

  static Stream<Arguments> strategies() {
    return Stream.of(
        Arguments.of("cut-4k", new String[] {}),
        Arguments.of("cut-128k", new String[] {}),
        Arguments.of("per-source", new String[] {}),
        Arguments.of("global", new String[] {}),
        Arguments.of(
            "domain",
            new String[] {
              "--upsample-domains", "B", "--infeasible", "repeat", "--max-copies", "3"
            }));
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void everyRowIsFullTiledBySpansAndCopiesItsSourceTokens(String strategy, String[] extra) {
    SparkSession spark = LocalSpark.get();
    String out = dir.resolve("pack-" + strategy).toString();
    String[] args =
        Stream.concat(
                Stream.of(
                    "--strategy",
                    strategy,
                    "--budget-tokens",
                    Long.toString(budget),
                    "--seq-len",
                    Integer.toString(SEQ_LEN),
                    "--seed",
                    "11"),
                Stream.of(extra))
            .toArray(String[]::new);
    PackJob.Result r = fx.pack(spark, out, args);
    assertEquals(budget, r.selectedTokens(), "the selection meets the budget exactly");
    assertEquals(budget / SEQ_LEN, r.rows());
    assertEquals(budget % SEQ_LEN, r.droppedTokens());
    int pieceTokens = strategy.equals("cut-4k") ? 4096 : strategy.equals("cut-128k") ? 131072 : 0;

    List<Row> rows = PackFixtures.rows(spark, out);
    assertEquals(r.rows(), rows.size());
    long tokens = 0;
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      assertEquals(i, row.getLong(0), "rows are numbered from 0 without gaps");
      List<Integer> ids = row.getList(1);
      assertEquals(SEQ_LEN, ids.size());
      assertEquals(SEQ_LEN, row.getInt(3));
      assertEquals(0, row.getInt(4));
      int at = 0;
      for (Row span : row.<Row>getList(2)) {
        assertEquals(at, span.getInt(0), "spans tile the row");
        int length = span.getInt(1);
        long docId = span.getLong(3);
        int piece = span.getInt(4);
        int from = span.getInt(6);
        assertEquals(from > 0, span.getBoolean(7));
        int[] doc = fx.docs.get(docId);
        int docStart = piece * pieceTokens + from;
        for (int j = 0; j < length; j++) {
          assertEquals(doc[docStart + j], ids.get(at + j), "token copied from its document");
        }
        at += length;
      }
      assertEquals(SEQ_LEN, at);
      tokens += at;
    }
    assertEquals(budget - budget % SEQ_LEN, tokens);
    if (strategy.equals("per-source")) {
      for (PackOutcome.DomainOutcome d : r.manifest().report().domains().values()) {
        assertEquals(
            d.plannedShare(),
            d.achievedShare(),
            1.0 / budget,
            "per-source fills " + d.domain() + " exactly");
      }
    }
  }

  @Test
  void samePlanGivesTheSameRowsWhateverThePartitioning() {
    SparkSession spark = LocalSpark.get();
    String[] args = {
      "--strategy",
      "per-source",
      "--budget-tokens",
      Long.toString(budget),
      "--seq-len",
      "1000",
      "--seed",
      "5",
      "--tail",
      "pad"
    };
    // a: the default, items sorted and placed on the driver, files read in Spark's groups
    String a = dir.resolve("det-a").toString();
    PackJob.Result resultA = fx.pack(spark, a, args);
    PackFixtures other = PackFixtures.write(spark, dir.resolve("repartitioned"), 7);
    // b: other files, sorted and placed distributed by order-key ranges
    String b = dir.resolve("det-b").toString();
    // c: distributed, and every file a task of its own (groups of at most one file)
    String c = dir.resolve("det-c").toString();
    String groupBytes = "spark.sql.files.maxPartitionBytes";
    PackJob.Result resultB;
    PackJob.Result resultC;
    try {
      spark.conf().set(Placement.DRIVER_ITEMS_KEY, "0");
      resultB = other.pack(spark, b, args);
      spark.conf().set(groupBytes, "1");
      resultC = fx.pack(spark, c, args);
    } finally {
      spark.conf().unset(groupBytes);
      spark.conf().unset(Placement.DRIVER_ITEMS_KEY);
    }
    List<Row> ra = PackFixtures.rows(spark, a);
    for (String other2 : List.of(b, c)) {
      List<Row> rb = PackFixtures.rows(spark, other2);
      assertEquals(ra.size(), rb.size());
      for (int i = 0; i < ra.size(); i++) {
        assertEquals(ra.get(i), rb.get(i), other2 + " row " + i);
      }
    }
    // The manifest's digest, computed by the writing tasks, is what the files hold.
    String fromFiles =
        Long.toHexString(
            spark
                .read()
                .parquet(a)
                .agg(
                    org.apache.spark.sql.functions.bit_xor(
                        org.apache.spark.sql.functions.xxhash64(
                            org.apache.spark.sql.functions.col("row"),
                            org.apache.spark.sql.functions.col("input_ids"),
                            org.apache.spark.sql.functions.col("spans"),
                            org.apache.spark.sql.functions.col("pad_tokens"))))
                .first()
                .getLong(0));
    for (PackJob.Result r : List.of(resultA, resultB, resultC)) {
      assertEquals(fromFiles, r.manifest().counts().contentDigest());
    }
    Row last = ra.get(ra.size() - 1);
    assertEquals(budget % 1000 == 0 ? 0 : 1000 - budget % 1000, last.getInt(4));
  }

  @Test
  void progressLinesCountEachPassAgainstItsTotal() {
    SparkSession spark = LocalSpark.get();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    PackJob.Result r =
        fx.pack(
            spark,
            dir.resolve("progress").toString(),
            new PrintStream(buf, true, StandardCharsets.UTF_8),
            "--strategy",
            "per-source",
            "--budget-tokens",
            Long.toString(budget),
            "--seq-len",
            Integer.toString(SEQ_LEN),
            "--progress-interval",
            "1");
    double seconds = (System.nanoTime() - t0) / 1e9;
    int documents = fx.docs.size();
    String count = "[\\d,]+/";
    String pattern =
        String.format(
            Locale.ROOT,
            "\\[pack\\] selection %1$s%2$,d documents, %1$s%3$,d tokens;"
                + " ids %1$s%2$,d documents, %1$s%3$,d tokens;"
                + " rows %1$s%4$,d rows, %1$s%5$,d tokens \\([\\d,]+ tokens/s\\),"
                + " Spark tasks \\d+/\\d+, \\d+%% done, elapsed \\w+, left ~[\\w?]+",
            count,
            documents,
            fx.tokens(),
            r.rows(),
            r.rows() * SEQ_LEN);
    List<String> lines =
        buf.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("% done")).toList();
    for (String l : lines) {
      assertTrue(l.matches(pattern), l + " matches " + pattern);
    }
    assertTrue(seconds < 2 || !lines.isEmpty(), seconds + " s and no progress line:\n" + buf);
  }

  @Test
  void localOneAndLocalTwoWriteTheSameRows() throws Exception {
    // Each run is a real command in its own session, so --master takes effect.
    String[] digests = new String[2];
    String[] masters = {"local[1]", "local[2]"};
    for (int i = 0; i < 2; i++) {
      String out = dir.resolve("master-" + i).toString();
      dev.longmix.jobs.tokenize.TokenizeFixtures.stopSessions();
      int code =
          dev.longmix.jobs.Main.run(
              new String[] {
                "pack",
                "--input",
                fx.input,
                "--histogram",
                fx.histogram,
                "--output",
                out,
                "--strategy",
                "global",
                "--budget-tokens",
                Long.toString(budget),
                "--seq-len",
                "1500",
                "--seed",
                "3",
                "--master",
                masters[i],
                "--progress-interval",
                "0",
                "--conf",
                "spark.sql.shuffle.partitions=" + (i == 0 ? 3 : 11),
                "--conf",
                Placement.DRIVER_ITEMS_KEY + "=" + (i == 0 ? 0 : 1_000_000)
              },
              PackFixtures.QUIET,
              System.err);
      assertEquals(0, code, masters[i]);
      com.fasterxml.jackson.databind.JsonNode m =
          dev.longmix.jobs.TestManifests.json(new org.apache.hadoop.conf.Configuration(), out)
              .orElseThrow();
      digests[i] = m.path("counts").path("content_digest").asText();
      assertEquals(masters[i], m.path("config").path("master").asText());
    }
    assertEquals(digests[0], digests[1], "local[1] and local[2] wrote different rows");
    List<Row> a = PackFixtures.rows(LocalSpark.get(), dir.resolve("master-0").toString());
    List<Row> b = PackFixtures.rows(LocalSpark.get(), dir.resolve("master-1").toString());
    assertEquals(a, b);
  }
}
