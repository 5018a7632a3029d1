package dev.longmix.jobs.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.pack.RowLayout;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.manifest.PackManifest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --packing best-fit} on the fixture corpus (documents of 20 to 24,000 tokens, rows of
 * 2,048): no item of at most a row is cut, longer ones are cut into whole-row parts, every token is
 * its document's, padding only ends rows, and the rows are the same whatever the partitioning, the
 * file grouping or the placement path.
 */
class BestFitPackTest {
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
        Arguments.of("per-source", "drop", new String[] {}),
        Arguments.of("per-source", "pad", new String[] {}),
        Arguments.of("cut-4k", "drop", new String[] {}),
        Arguments.of("global", "pad", new String[] {}),
        Arguments.of(
            "domain",
            "drop",
            new String[] {
              "--upsample-domains", "B", "--infeasible", "repeat", "--max-copies", "3"
            }));
  }

  private static String[] args(String strategy, String tail, String... extra) {
    return Stream.concat(
            Stream.of(
                "--strategy",
                strategy,
                "--budget-tokens",
                Long.toString(budget),
                "--seq-len",
                Integer.toString(SEQ_LEN),
                "--packing",
                "best-fit",
                "--tail",
                tail,
                "--pad-id",
                "2",
                "--seed",
                "11"),
            Stream.of(extra))
        .toArray(String[]::new);
  }

  @ParameterizedTest
  @MethodSource("strategies")
  void itemsAreWholeOrInRowSizedPartsAndPaddingOnlyEndsRows(
      String strategy, String tail, String[] extra) {
    SparkSession spark = LocalSpark.get();
    String out = dir.resolve("bf-" + strategy + "-" + tail).toString();
    PackJob.Result r = fx.pack(spark, out, args(strategy, tail, extra));
    RowLayout layout = r.outcome().layout();
    assertEquals(budget, r.selectedTokens(), "the plan's budget is met exactly");
    int pieceTokens = strategy.equals("cut-4k") ? 4096 : 0;

    List<Row> rows = PackFixtures.rows(spark, out);
    assertEquals(layout.rows(), rows.size());
    long data = 0;
    long pad = 0;
    long spans = 0;
    // (doc, piece, copy) → from_token → length
    Map<List<Long>, TreeMap<Integer, Integer>> parts = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      assertEquals(i, row.getLong(0), "rows are numbered from 0 without gaps");
      List<Integer> ids = row.getList(1);
      int n = row.getInt(3);
      assertEquals(SEQ_LEN, ids.size());
      assertEquals(SEQ_LEN - n, row.getInt(4), "n_tokens + pad_tokens = seq-len");
      for (int j = n; j < SEQ_LEN; j++) {
        assertEquals(2, ids.get(j), "padding is the pad id, at the row's end only");
      }
      int at = 0;
      for (Row span : row.<Row>getList(2)) {
        assertEquals(at, span.getInt(0), "spans tile the row's data");
        int length = span.getInt(1);
        long docId = span.getLong(3);
        int piece = span.getInt(4);
        int from = span.getInt(6);
        assertEquals(from > 0, span.getBoolean(7));
        assertEquals(0, from % SEQ_LEN, "a part starts a whole number of rows into its item");
        int[] doc = fx.docs.get(docId);
        for (int j = 0; j < length; j++) {
          assertEquals(
              doc[piece * pieceTokens + from + j], ids.get(at + j), "its document's token");
        }
        TreeMap<Integer, Integer> p =
            parts.computeIfAbsent(
                List.of(docId, (long) piece, (long) span.getInt(5)), k -> new TreeMap<>());
        assertTrue(p.put(from, length) == null, "a part written twice");
        at += length;
        spans++;
      }
      assertEquals(n, at, "spans cover the row's data");
      data += n;
      pad += SEQ_LEN - n;
    }
    long cut = 0;
    for (Map.Entry<List<Long>, TreeMap<Integer, Integer>> e : parts.entrySet()) {
      int k = 0;
      int total = 0;
      for (Map.Entry<Integer, Integer> p : e.getValue().entrySet()) {
        assertEquals(k * SEQ_LEN, p.getKey(), "the parts of " + e.getKey() + " follow each other");
        boolean last = k == e.getValue().size() - 1;
        assertTrue(last || p.getValue() == SEQ_LEN, "only the last part is shorter than a row");
        total += p.getValue();
        k++;
      }
      assertTrue(k == 1 || total > SEQ_LEN, "an item of at most a row is never cut");
      cut += k > 1 ? 1 : 0;
    }
    assertEquals(budget - layout.droppedTailTokens(), data, "every selected token is written");
    assertEquals(layout.padTokens(), pad);
    assertEquals(layout.spans(), spans);
    assertEquals(layout.documentsCut(), cut);
    assertEquals(tail.equals("drop"), layout.tailDropped() || layout.tailTokens() == 0);
    if (tail.equals("pad") && layout.tailTokens() > 0) {
      assertEquals(rows.size() - 1, layout.tailRow(), "the partial row comes last");
      assertEquals(layout.tailTokens(), rows.get(rows.size() - 1).getInt(3));
    }
    assertTrue(
        layout.padShareWithoutTail() < 0.01,
        strategy + ": padding " + layout.padShareWithoutTail() + " of the full rows' tokens");
  }

  @Test
  void sameRowsWhateverThePartitioningFileGroupingAndPlacementPath() {
    SparkSession spark = LocalSpark.get();
    String[] args = args("per-source", "pad");
    String a = dir.resolve("bf-det-a").toString();
    PackJob.Result ra = fx.pack(spark, a, args);
    PackFixtures other = PackFixtures.write(spark, dir.resolve("bf-repartitioned"), 7);
    String b = dir.resolve("bf-det-b").toString();
    String c = dir.resolve("bf-det-c").toString();
    PackJob.Result rb;
    PackJob.Result rc;
    try {
      spark.conf().set(Placement.DRIVER_ITEMS_KEY, "0");
      rb = other.pack(spark, b, args);
      spark.conf().set("spark.sql.files.maxPartitionBytes", "1");
      rc = fx.pack(spark, c, args);
    } finally {
      spark.conf().unset("spark.sql.files.maxPartitionBytes");
      spark.conf().unset(Placement.DRIVER_ITEMS_KEY);
    }
    List<Row> rowsA = PackFixtures.rows(spark, a);
    for (String o : List.of(b, c)) {
      assertEquals(rowsA, PackFixtures.rows(spark, o), o);
    }
    assertEquals(ra.manifest().counts().contentDigest(), rb.manifest().counts().contentDigest());
    assertEquals(ra.manifest().counts().contentDigest(), rc.manifest().counts().contentDigest());
    assertEquals(ra.outcome().layout(), rb.outcome().layout());
  }

  /**
   * The plan is unchanged: best-fit writes exactly the items concat writes, each with the same
   * tokens, and the same per-domain and long tallies; only the rows differ. Both pad the partial
   * row so that every selected token is written.
   */
  @Test
  void theSameItemsAsConcatOnTheSamePlan() {
    SparkSession spark = LocalSpark.get();
    Map<String, Map<List<Long>, Long>> items = new HashMap<>();
    Map<String, PackJob.Result> results = new HashMap<>();
    for (String mode : List.of("concat", "best-fit")) {
      String out = dir.resolve("bf-same-plan-" + mode).toString();
      String[] a = args("global", "pad");
      a[java.util.Arrays.asList(a).indexOf("best-fit")] = mode;
      results.put(mode, fx.pack(spark, out, a));
      Map<List<Long>, Long> tokens = new HashMap<>();
      for (Row row : PackFixtures.rows(spark, out)) {
        for (Row span : row.<Row>getList(2)) {
          tokens.merge(
              List.of(span.getLong(3), (long) span.getInt(4), (long) span.getInt(5)),
              (long) span.getInt(1),
              Long::sum);
        }
      }
      items.put(mode, tokens);
    }
    assertEquals(items.get("concat"), items.get("best-fit"));
    assertTrue(items.get("concat").size() > 20, items.get("concat").size() + " items");
    PackJob.Result c = results.get("concat");
    PackJob.Result b = results.get("best-fit");
    assertEquals(c.outcome().report().domains(), b.outcome().report().domains());
    assertEquals(c.outcome().items(), b.outcome().items());
    assertEquals(budget, b.selectedTokens());
    assertTrue(
        b.outcome().layout().documentsCut() < c.outcome().layout().documentsCut(),
        "best-fit cuts fewer items: "
            + b.outcome().layout().documentsCut()
            + " against "
            + c.outcome().layout().documentsCut());
  }

  @Test
  void rowsAreInKeyedRandomOrderNotLongestFirst() {
    SparkSession spark = LocalSpark.get();
    String out = dir.resolve("bf-order").toString();
    fx.pack(spark, out, args("per-source", "drop"));
    List<Row> rows = PackFixtures.rows(spark, out);
    // Best-fit decreasing opens rows for the longest items first; in the output, the spans per
    // row of the first and the last third must look alike.
    int third = rows.size() / 3;
    double first = 0;
    double last = 0;
    for (int i = 0; i < third; i++) {
      first += rows.get(i).getList(2).size();
      last += rows.get(rows.size() - 1 - i).getList(2).size();
    }
    assertTrue(third >= 5, rows.size() + " rows");
    assertTrue(
        Math.abs(first - last) / Math.max(first, last) < 0.5,
        "spans in the first third " + first + ", in the last third " + last);
  }

  @Test
  void rowsOfMostlyPaddingStillCompleteAndSaySo() {
    SparkSession spark = LocalSpark.get();
    long small = 3000;
    List<String> summaries = new ArrayList<>();
    for (String tail : List.of("pad", "drop")) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      String[] a = {
        "--strategy",
        "per-source",
        "--budget-tokens",
        Long.toString(small),
        "--seq-len",
        "65536",
        "--packing",
        "best-fit",
        "--tail",
        tail,
        "--seed",
        "3"
      };
      PackJob.Result r =
          fx.pack(
              spark,
              dir.resolve("bf-padding-" + tail).toString(),
              new PrintStream(buf, true, StandardCharsets.UTF_8),
              a);
      String printed = buf.toString(StandardCharsets.UTF_8);
      summaries.add(printed);
      assertEquals(small, r.selectedTokens());
      assertEquals(tail.equals("pad") ? 1 : 0, r.rows(), "one row, the partial one");
      assertEquals(small, r.outcome().layout().tailTokens());
      assertTrue(printed.contains("best-fit packing: padding"), printed);
      // The manifest names the partial row (the only one) and its tokens.
      PackManifest.Counts counts = r.manifest().counts();
      assertEquals(tail.equals("pad") ? 0 : -1, counts.tailRow());
      assertEquals(small, counts.tailTokens());
      assertEquals(tail.equals("pad") ? 65536 - small : 0, counts.padTokens());
      assertEquals(tail.equals("pad") ? 0 : small, counts.droppedTailTokens());
    }
    assertTrue(summaries.get(0).contains("most of the rows' tokens are padding"), summaries.get(0));
    assertTrue(summaries.get(1).contains("no row written"), summaries.get(1));
  }
}
