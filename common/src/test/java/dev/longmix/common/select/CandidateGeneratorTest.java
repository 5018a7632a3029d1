package dev.longmix.common.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.common.plan.InfeasiblePolicy;
import dev.longmix.common.plan.LengthClass;
import dev.longmix.common.plan.MixturePlanner;
import dev.longmix.common.plan.Plan;
import dev.longmix.common.plan.PlanConfig;
import dev.longmix.common.plan.Strategy;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateGeneratorTest {

  private static LengthHistogram histogram() {
    LengthHistogram h = LengthHistogram.fig2();
    for (int i = 0; i < 100; i++) {
      h.add("a", 10_000).add("a", 500).add("b", 300);
    }
    return h;
  }

  @Test
  void cutPiecesTileTheDocumentAndKeepTheDocumentsClass() {
    Plan plan =
        MixturePlanner.plan(histogram(), PlanConfig.builder(Strategy.CUT_4K, 100_000).build());
    List<Candidate> cs = Candidate.all(new CandidateGenerator(plan), 17, "a", 10_000);
    assertEquals(3, cs.size());
    int next = 0;
    for (int i = 0; i < cs.size(); i++) {
      Candidate c = cs.get(i);
      assertEquals(i, c.piece());
      assertEquals(next, c.fromToken());
      assertEquals(LengthClass.LONG, c.lengthClass(), "a piece of a long document is long");
      assertEquals("a/long", c.pool(), "drawn stratified: one pool per domain and class");
      next += c.tokens();
    }
    assertEquals(List.of(4096, 4096, 1808), cs.stream().map(Candidate::tokens).toList());
    assertEquals(10_000, next);
  }

  @Test
  void copiesAreStratifiedByRate() {
    Plan plan =
        MixturePlanner.plan(
            histogram(),
            PlanConfig.builder(Strategy.PER_SOURCE, 10_000)
                .maxCopies(3)
                .infeasible(InfeasiblePolicy.REPEAT)
                .build());
    CandidateGenerator gen = new CandidateGenerator(plan);
    List<Candidate> shortOnes = Candidate.all(gen, 5, "a", 500);
    assertEquals(3, shortOnes.size());
    for (Candidate c : shortOnes) {
      // Copy k of a rate-0.1 item falls in [10k, 10(k+1)).
      assertTrue(c.time() >= 10 * c.copy() && c.time() < 10 * (c.copy() + 1), c.toString());
      assertEquals("a/short", c.pool());
    }
    assertEquals(1, Candidate.all(gen, 5, "a", 500, 10).size(), "maxTime skips later copies");
    assertEquals(List.of(), Candidate.all(gen, 5, "unknown", 500));
    assertTrue(!gen.covers("unknown"));
  }

  @Test
  void keepRateZeroDropsShortDocuments() {
    Plan plan =
        MixturePlanner.plan(
            histogram(), PlanConfig.builder(Strategy.GLOBAL, 10_000).keepRate(0).build());
    CandidateGenerator gen = new CandidateGenerator(plan);
    assertEquals(List.of(), Candidate.all(gen, 1, "b", 300));
    assertEquals(1, Candidate.all(gen, 1, "a", 10_000).size());
  }

  @Test
  void expectedCopiesByTimeTAreMinOfRateTimesTAndTheCap() {
    // The planner's closed form: under t = (k + u)/λ an item has min(λT, K) copies by time T.
    double rate = 0.3;
    int k = 3;
    int items = 100_000;
    for (double horizon : new double[] {0.5, 4, 7, 9.5, 20}) {
      long copies = 0;
      for (long id = 0; id < items; id++) {
        for (int copy = 0; copy < k; copy++) {
          double t = (copy + KeyedRandom.uniform(3, KeyedRandom.Stream.SELECT, id, 0, copy)) / rate;
          if (t <= horizon) {
            copies++;
          }
        }
      }
      assertEquals(Math.min(rate * horizon, k), (double) copies / items, 0.01, "T = " + horizon);
    }
  }

  @Test
  void classPoolNamesTheDocumentsPoolOrNoneWithoutCandidates() {
    Plan plan =
        MixturePlanner.plan(histogram(), PlanConfig.builder(Strategy.CUT_4K, 100_000).build());
    CandidateGenerator gen = new CandidateGenerator(plan);
    assertEquals("a/long", gen.classPool("a", 10_000));
    assertEquals("b/short", gen.classPool("b", 300));
    assertEquals(null, gen.classPool("elsewhere", 300), "a domain the plan does not know");
    assertEquals(null, gen.classPool("a", 0), "no tokens");
    assertTrue(Candidate.all(gen, 1, "elsewhere", 300).isEmpty());
    // A token count no document can have fails, even where the domain has no candidates.
    assertThrows(IllegalArgumentException.class, () -> gen.classPool("a", -1));
    assertThrows(IllegalArgumentException.class, () -> Candidate.all(gen, 1, "elsewhere", -1));
    assertThrows(
        IllegalArgumentException.class,
        () -> gen.times(1, "elsewhere", 1L << 31, 1, (p, c, f, t, u) -> {}));
  }
}
