package dev.longmix.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

class ProgressTest {
  static StageProgress.Pass pass(
      String name, String unit, long items, long tokens, double weight, boolean byTokens) {
    return new StageProgress.Pass(
        name, unit, new LongAccumulator(), new LongAccumulator(), items, tokens, weight, byTokens);
  }

  @Test
  void aStageLineHasCountsAgainstTotalsRateShareDoneElapsedAndTimeLeft() {
    StageProgress.Pass selection = pass("selection", "documents", 400, 8_000_000, 400_000, false);
    StageProgress.Pass ids = pass("ids", "documents", 400, 8_000_000, 8_000_000, true);
    StageProgress.Pass rows = pass("rows", "rows", 50, 2_000_000, 2_000_000, true);
    List<StageProgress.Snapshot> now =
        List.of(
            new StageProgress.Snapshot(selection, 400, 8_000_000),
            new StageProgress.Snapshot(ids, 100, 2_000_000),
            new StageProgress.Snapshot(rows, 0, 0));
    String status = StageProgress.describe(now, 1_234_567.4);
    assertEquals(
        "selection 400/400 documents, 8,000,000/8,000,000 tokens; ids 100/400 documents,"
            + " 2,000,000/8,000,000 tokens; rows 0/50 rows, 0/2,000,000 tokens"
            + " (1,234,567 tokens/s)",
        status);
    // selection done (weight 0.4M), a quarter of the ids (2M of 8M), no rows: 2.4M of 10.4M.
    double f = StageProgress.fraction(now);
    assertEquals(2.4 / 10.4, f, 1e-12);

    try (Progress p = new Progress("pack", 0, () -> status, () -> f, System.out)) {
      String line = p.line("pack", status, f);
      assertTrue(line.startsWith("[pack] selection 400/400 documents"), line);
      assertTrue(line.contains("(1,234,567 tokens/s)"), line);
      assertTrue(line.contains(", 23% done, elapsed "), line);
      assertTrue(line.matches(".*, left ~\\d+s$"), line);
    }
  }

  @Test
  void theCountsOfARowArePerPassAndAPassNeverCountsBeyondItsTotal() {
    StageProgress.Pass histogram = pass("", "documents", 10, 1000, 1, false);
    assertEquals(
        "4/10 documents, 900/1,000 tokens (0 tokens/s)",
        StageProgress.describe(List.of(new StageProgress.Snapshot(histogram, 4, 900)), -3));
    // The histogram's cost is per row: 4 of 10 rows, whatever their tokens.
    assertEquals(
        0.4, StageProgress.fraction(List.of(new StageProgress.Snapshot(histogram, 4, 900))));
    // A retried task counts twice; the share done stops at 1. An empty pass is done.
    assertEquals(
        1.0, StageProgress.fraction(List.of(new StageProgress.Snapshot(histogram, 13, 1300))));
    StageProgress.Pass empty = pass("rows", "rows", 0, 0, 0, true);
    assertEquals(1.0, StageProgress.fraction(List.of(new StageProgress.Snapshot(empty, 0, 0))));
  }

  @Test
  void unknownTotalsPrintTheCountsAlone() {
    StageProgress.Pass p = pass("", "documents", -1, -1, 1, false);
    assertEquals(
        "1,500 documents, 2,000,000 tokens (10 tokens/s)",
        StageProgress.describe(List.of(new StageProgress.Snapshot(p, 1500, 2_000_000)), 10));
  }

  @Test
  void linesArePrintedAtTheInterval() throws InterruptedException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    try (Progress p = new Progress("histogram", 1, () -> "7/10 documents", () -> 0.7, out)) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (buf.size() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
    String first = buf.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
    assertTrue(
        first.matches("\\[histogram\\] 7/10 documents, 70% done, elapsed \\d+s, left ~\\d+s"),
        first);
  }
}
