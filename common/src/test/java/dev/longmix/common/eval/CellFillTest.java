package dev.longmix.common.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CellFillTest {
  static List<CellFill.Candidate> pool(int... lengths) {
    List<CellFill.Candidate> out = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      out.add(new CellFill.Candidate(1000 + i, lengths[i]));
    }
    return out;
  }

  @Test
  void takesWholeDocumentsInKeyedOrderPassingOverThoseThatDoNotFit() {
    long seed = 3;
    List<CellFill.Candidate> pool = pool(40, 70, 25, 10, 60, 5, 90, 30);
    List<CellFill.Candidate> order = CellFill.inKeyedOrder(seed, pool, CellFill.Candidate::docId);
    // The rule, walked by hand over the keyed order.
    long left = 100;
    List<Long> want = new ArrayList<>();
    for (CellFill.Candidate c : order) {
      if (c.nTokens() <= left) {
        want.add(c.docId());
        left -= c.nTokens();
      }
    }
    List<CellFill.Taken> got = CellFill.fill(seed, pool, 100, 1000);
    assertEquals(want, got.stream().map(CellFill.Taken::docId).toList());
    assertTrue(got.stream().mapToLong(CellFill.Taken::tokens).sum() <= 100);
  }

  @Test
  void invariantsOverRandomPools() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 200; trial++) {
      int n = rnd.nextInt(60);
      int[] lengths = rnd.ints(n, 1, 5000).toArray();
      List<CellFill.Candidate> pool = pool(lengths);
      long budget = rnd.nextInt(40_000);
      int maxDoc = 1 + rnd.nextInt(4000);
      long seed = rnd.nextLong();
      List<CellFill.Taken> got = CellFill.fill(seed, pool, budget, maxDoc);
      long total = got.stream().mapToLong(CellFill.Taken::tokens).sum();
      assertTrue(total <= budget);
      for (CellFill.Taken t : got) {
        assertEquals(Math.min(t.nTokens(), maxDoc), t.tokens());
        assertEquals(t.nTokens() > maxDoc, t.cut());
      }
      // Whatever the pool's order, the same documents.
      List<CellFill.Candidate> shuffled = new ArrayList<>(pool);
      Collections.shuffle(shuffled, rnd);
      assertEquals(got, CellFill.fill(seed, shuffled, budget, maxDoc));
      // A document left out did not fit in what was left when its turn came.
      java.util.Set<Long> taken = new java.util.HashSet<>();
      got.forEach(t -> taken.add(t.docId()));
      long left = budget;
      for (CellFill.Candidate c : CellFill.inKeyedOrder(seed, pool, CellFill.Candidate::docId)) {
        int tokens = Math.min(c.nTokens(), maxDoc);
        if (taken.contains(c.docId())) {
          left -= tokens;
        } else {
          assertTrue(tokens > left, "document " + c.docId() + " fitted but was left out");
        }
      }
    }
  }

  @Test
  void anEmptyPoolOrBudgetTakesNothing() {
    assertEquals(List.of(), CellFill.fill(1, pool(), 100, 10));
    assertEquals(List.of(), CellFill.fill(1, pool(5, 6), 0, 10));
  }
}
