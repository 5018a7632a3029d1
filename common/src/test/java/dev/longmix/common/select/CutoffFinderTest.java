package dev.longmix.common.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.common.plan.DomainPlan;
import dev.longmix.common.plan.LengthClass;
import dev.longmix.common.plan.MixturePlanner;
import dev.longmix.common.plan.Plan;
import dev.longmix.common.plan.PlanConfig;
import dev.longmix.common.plan.PoolPlan;
import dev.longmix.common.plan.Strategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CutoffFinderTest {
  private static final long SEED = 90210L;

  private static List<TimedItem> randomItems(Random random, int n) {
    List<TimedItem> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // Coarse times force ties, which (docId, piece, copy) must break.
      double t = random.nextInt(50) / 5.0;
      // Keys must be unique, as (docId, piece, copy) is for real candidates.
      items.add(new TimedItem(t, i / 6, (i / 2) % 3, i % 2, 1 + random.nextInt(5000)));
    }
    return items;
  }

  private static long taken(PoolCutoff cutoff, List<TimedItem> items) {
    return items.stream().mapToLong(cutoff::takeTokens).sum();
  }

  @Test
  void selectionSumsToTheBudgetExactlyForAnyBucketCount() {
    Random random = new Random(SEED);
    for (int trial = 0; trial < 200; trial++) {
      List<TimedItem> items = randomItems(random, 1 + random.nextInt(400));
      long total = items.stream().mapToLong(TimedItem::tokens).sum();
      long budget = 1 + (long) (random.nextDouble() * total);
      for (int buckets : new int[] {1, 7, 1 << 16}) {
        PoolCutoff cutoff = Candidate.cutoff(new BucketScheme("p", 10, buckets), budget, items);
        assertEquals(PoolCutoff.Kind.AT_ITEM, cutoff.kind());
        assertEquals(budget, taken(cutoff, items), "seed " + SEED + " trial " + trial);
      }
    }
  }

  @Test
  void cutoffIsIndependentOfItemOrderAndMatchesASort() {
    Random random = new Random(SEED + 1);
    List<TimedItem> items = randomItems(random, 500);
    long budget = items.stream().mapToLong(TimedItem::tokens).sum() / 3;
    BucketScheme scheme = new BucketScheme("p", 10, 64);
    PoolCutoff first = Candidate.cutoff(scheme, budget, items);
    for (int i = 0; i < 5; i++) {
      List<TimedItem> shuffled = new ArrayList<>(items);
      Collections.shuffle(shuffled, random);
      assertEquals(first, Candidate.cutoff(scheme, budget, shuffled));
    }
    // Brute force: walk the whole list in selection order.
    List<TimedItem> sorted = new ArrayList<>(items);
    sorted.sort(TimedItem.SELECTION_ORDER);
    long sum = 0;
    for (TimedItem item : sorted) {
      long want = Math.max(0, Math.min(item.tokens(), budget - sum));
      assertEquals(want, first.takeTokens(item), item.toString());
      sum += want;
    }
  }

  @Test
  void edgeBudgets() {
    List<TimedItem> items =
        List.of(new TimedItem(0.1, 1, 0, 0, 100), new TimedItem(0.2, 2, 0, 0, 50));
    BucketScheme scheme = new BucketScheme("p", 1, 4);
    PoolCutoff none = Candidate.cutoff(scheme, 0, items);
    assertEquals(PoolCutoff.Kind.NOTHING, none.kind());
    assertEquals(0, taken(none, items));

    PoolCutoff exact = Candidate.cutoff(scheme, 150, items);
    assertEquals(PoolCutoff.Kind.AT_ITEM, exact.kind());
    assertEquals(2, exact.docId());
    assertEquals(50, exact.keepTokens());

    PoolCutoff partial = Candidate.cutoff(scheme, 101, items);
    assertEquals(1, partial.takeTokens(items.get(1)));

    PoolCutoff over = Candidate.cutoff(scheme, 200, items);
    assertEquals(PoolCutoff.Kind.EVERYTHING, over.kind());
    assertTrue(over.underfilled());
    assertEquals(50, over.shortfallTokens());
    assertEquals(150, taken(over, items));
  }

  @Test
  void bucketsAreMonotoneAndOverflowPastTheHorizon() {
    BucketScheme scheme = new BucketScheme("p", 10, 1 << 16);
    int last = -1;
    for (double t = 0; t < 10; t += 0.0007) {
      int b = scheme.bucket(t);
      assertTrue(b >= last && b < scheme.buckets());
      last = b;
    }
    assertEquals(scheme.buckets(), scheme.bucket(10));
    assertEquals(scheme.buckets(), scheme.bucket(Double.POSITIVE_INFINITY));
  }

  @Test
  void perSourceSelectionHitsEveryDomainBudgetExactly() {
    // A small synthetic corpus with known ids: 3 domains, log-uniform lengths.
    Random random = new Random(SEED + 2);
    String[] domains = {"arxiv", "book", "web"};
    LengthHistogram histogram = LengthHistogram.fig2();
    List<long[]> docs = new ArrayList<>(); // {docId, domainIndex, nTokens}
    for (long id = 0; id < 4000; id++) {
      int d = random.nextInt(3);
      long n = 50 + (long) Math.exp(random.nextDouble() * (d == 1 ? 11 : 9));
      docs.add(new long[] {id, d, n});
      histogram.add(domains[d], n);
    }
    long budget = histogram.tokens() / 10;
    Plan plan =
        MixturePlanner.plan(
            histogram, PlanConfig.builder(Strategy.PER_SOURCE, budget).seed(7).build());
    CandidateGenerator gen = new CandidateGenerator(plan);
    Map<String, List<Candidate>> byPool = new HashMap<>();
    for (long[] doc : docs) {
      for (Candidate c : Candidate.all(gen, doc[0], domains[(int) doc[1]], doc[2])) {
        byPool.computeIfAbsent(c.pool(), p -> new ArrayList<>()).add(c);
      }
    }
    long selectedAll = 0;
    Map<String, long[]> byDomain = new HashMap<>(); // selected, selected long
    for (PoolPlan pool : plan.pools()) {
      List<Candidate> cs = byPool.getOrDefault(pool.pool(), List.of());
      BucketScheme scheme =
          BucketScheme.covering(pool, plan.config().maxCopies(), BucketScheme.BUCKETS_DEFAULT);
      PoolCutoff cutoff =
          Candidate.cutoff(
              scheme, pool.budgetTokens(), cs.stream().map(Candidate::timedItem).toList());
      long selected = cs.stream().mapToLong(c -> cutoff.takeTokens(c.timedItem())).sum();
      long selectedLong =
          cs.stream()
              .filter(c -> c.lengthClass() == LengthClass.LONG)
              .mapToLong(c -> cutoff.takeTokens(c.timedItem()))
              .sum();
      assertEquals(pool.budgetTokens(), selected, pool.pool());
      selectedAll += selected;
      long[] acc = byDomain.computeIfAbsent(pool.domains().get(0), d -> new long[2]);
      acc[0] += selected;
      acc[1] += selectedLong;
    }
    assertEquals(budget, selectedAll);
    for (Map.Entry<String, long[]> e : byDomain.entrySet()) {
      DomainPlan dp = plan.domain(e.getKey()).orElseThrow();
      long selected = e.getValue()[0];
      assertEquals(dp.targetShare(), (double) selected / budget, 0.005, e.getKey());
      // Pools per length class make the long share the planned p/(p + r(1-p)) to a token.
      double planned =
          dp.longClass().expectedTokens()
              / (dp.longClass().expectedTokens() + dp.shortClass().expectedTokens());
      assertEquals(planned, (double) e.getValue()[1] / selected, 1e-4, e.getKey());
    }
  }
}
