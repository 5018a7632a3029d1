package dev.longmix.common.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Best-fit decreasing by example and by its invariants, against a plain statement of it. */
class BestFitPackerTest {
  private static long[] keys(int n) {
    long[] k = new long[n];
    for (int i = 0; i < n; i++) {
      k[i] = i;
    }
    return k;
  }

  @Test
  void examples() {
    // Rows of 10: 7 opens row 0, 6 opens row 1, 4 fits only row 1 (room 4), 3 fills row 0,
    // 2 and 1 open and fill row 2.
    BestFitPacker.Packing p = BestFitPacker.pack(new int[] {3, 7, 1, 6, 4, 2}, keys(6), 10);
    assertEquals(3, p.rows());
    assertArrayEquals(new int[] {0, 0, 2, 1, 1, 2}, p.row());
    assertArrayEquals(new int[] {7, 0, 2, 0, 6, 0}, p.offset());
    assertArrayEquals(new int[] {10, 10, 3}, p.fill());
    assertEquals(7, p.padTokens(10));
    // An item of exactly a row fills a row of its own; the tightest room wins over the first.
    BestFitPacker.Packing q = BestFitPacker.pack(new int[] {10, 5, 8, 2, 5}, keys(5), 10);
    assertArrayEquals(new int[] {0, 2, 1, 1, 2}, q.row());
    assertArrayEquals(new int[] {10, 10, 10}, q.fill());
  }

  @Test
  void tiesGoByKeyThenIndex() {
    // Two items of 5 and room for one beside the 5 already there: the lower key goes first.
    BestFitPacker.Packing p = BestFitPacker.pack(new int[] {5, 5, 5}, new long[] {9, 1, 5}, 10);
    assertArrayEquals(new int[] {1, 0, 0}, p.row());
    assertArrayEquals(new int[] {0, 0, 5}, p.offset());
  }

  @Test
  void refusesItemsThatDoNotFitARow() {
    assertThrows(
        IllegalArgumentException.class, () -> BestFitPacker.pack(new int[] {11}, keys(1), 10));
    assertThrows(
        IllegalArgumentException.class, () -> BestFitPacker.pack(new int[] {0}, keys(1), 10));
  }

  /**
   * The plain statement: items longest first (ties by key, then index), each into the open row with
   * the least room that holds it, among equals the one that reached that room first.
   */
  private static int[] oracle(int[] lengths, long[] keys, int seqLen) {
    int n = lengths.length;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    order.sort(
        (a, b) -> {
          int c = Integer.compare(lengths[b], lengths[a]);
          if (c == 0) {
            c = Long.compare(keys[a], keys[b]);
          }
          return c != 0 ? c : Integer.compare(a, b);
        });
    List<int[]> rows = new ArrayList<>(); // {room, the step it got that room}
    int[] row = new int[n];
    int step = 0;
    for (int i : order) {
      int best = -1;
      for (int r = 0; r < rows.size(); r++) {
        int[] x = rows.get(r);
        if (x[0] >= lengths[i]
            && (best < 0
                || x[0] < rows.get(best)[0]
                || (x[0] == rows.get(best)[0] && x[1] < rows.get(best)[1]))) {
          best = r;
        }
      }
      if (best < 0) {
        rows.add(new int[] {seqLen, step});
        best = rows.size() - 1;
      }
      rows.get(best)[0] -= lengths[i];
      rows.get(best)[1] = step++;
      row[i] = best;
    }
    return row;
  }

  @Test
  void matchesThePlainStatementAndKeepsEveryInvariant() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int trial = 0; trial < 200; trial++) {
      int seqLen = 1 + rnd.nextInt(300);
      int n = rnd.nextInt(120);
      int[] lengths = new int[n];
      long[] keys = new long[n];
      for (int i = 0; i < n; i++) {
        // Many short items and a few near a row, like documents.
        lengths[i] =
            rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(seqLen) : 1 + rnd.nextInt(1 + seqLen / 8);
        keys[i] = rnd.nextInt(20); // repeated keys exercise the index tie-break
      }
      BestFitPacker.Packing p = BestFitPacker.pack(lengths, keys, seqLen);
      assertArrayEquals(oracle(lengths, keys, seqLen), p.row(), "trial " + trial);
      // Every item placed once, inside its row, rows tiled from 0 without overlap.
      long[][] cover = new long[p.rows()][];
      int[] fill = new int[p.rows()];
      for (int r = 0; r < p.rows(); r++) {
        cover[r] = new long[seqLen];
      }
      long total = 0;
      for (int i = 0; i < n; i++) {
        assertTrue(p.offset()[i] + lengths[i] <= seqLen, "item inside its row");
        for (int t = p.offset()[i]; t < p.offset()[i] + lengths[i]; t++) {
          assertEquals(0, cover[p.row()[i]][t], "two items at one position");
          cover[p.row()[i]][t] = 1;
        }
        fill[p.row()[i]] += lengths[i];
        total += lengths[i];
      }
      assertArrayEquals(fill, p.fill());
      for (int r = 0; r < p.rows(); r++) {
        for (int t = 0; t < fill[r]; t++) {
          assertEquals(1, cover[r][t], "row " + r + " has a gap before its padding");
        }
      }
      assertEquals((long) p.rows() * seqLen - total, p.padTokens(seqLen));
      // Deterministic.
      assertArrayEquals(p.row(), BestFitPacker.pack(lengths, keys, seqLen).row());
    }
  }
}
