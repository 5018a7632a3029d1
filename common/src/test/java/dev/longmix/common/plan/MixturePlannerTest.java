package dev.longmix.common.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longmix.common.config.ConfigException;
import dev.longmix.common.histogram.LengthHistogram;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MixturePlannerTest {
  private static final LengthHistogram SLIM = Fixtures.slimPajamaLike(100_000_000L);

  @Test
  void globalStrategySharesDriftAsTheRecipeSays() {
    long n = 20_000_000L; // below the long tokens, so no cap binds
    Plan plan = MixturePlanner.plan(SLIM, PlanConfig.builder(Strategy.GLOBAL, n).build());
    double r = 0.1;
    double denominator = 0;
    for (String d : SLIM.domains()) {
      double w = SLIM.tokenShare(d);
      double p = SLIM.longShare(d);
      denominator += w * (p + r * (1 - p));
    }
    for (String d : SLIM.domains()) {
      double w = SLIM.tokenShare(d);
      double p = SLIM.longShare(d);
      double expected = w * (p + r * (1 - p)) / denominator;
      // Budgets are whole tokens, so shares match the formula to within a token of N.
      assertEquals(expected, plan.domain(d).orElseThrow().expectedShare(), 1e-6, d);
      assertEquals(expected, plan.domain(d).orElseThrow().targetShare(), 1e-9, d);
    }
    // Drawn stratified: pools per domain and length class, with the single pool's rates.
    assertEquals(
        SLIM.domains(),
        plan.pools().stream().map(p -> p.domains().get(0)).distinct().sorted().toList());
    for (PoolPlan pool : plan.pools()) {
      if (pool.pool().endsWith("/short")) {
        assertEquals(r, pool.shortClass().rate(), 1e-12, pool.pool());
      }
    }
    assertEquals(n, plan.budgetTokens());
    // Global upsampling raises the long share above the natural one, like Fig. 2's .346 -> .829.
    assertTrue(plan.expectedLongShare() > SLIM.longShare() + 0.3);
  }

  @Test
  void perSourceKeepsDomainSharesAndRaisesEachLongShare() {
    long n = 1_000_000_007L / 100;
    Plan plan = MixturePlanner.plan(SLIM, PlanConfig.builder(Strategy.PER_SOURCE, n).build());
    for (String d : SLIM.domains()) {
      DomainPlan dp = plan.domain(d).orElseThrow();
      assertEquals(SLIM.tokenShare(d), dp.expectedShare(), 1e-6, d);
      double p = SLIM.longShare(d);
      assertEquals(p / (p + 0.1 * (1 - p)), dp.expectedLongShare(), 1e-9, d);
    }
    assertEquals(n, plan.pools().stream().mapToLong(PoolPlan::budgetTokens).sum());
  }

  @Test
  void targetLongShareSolvesTheRatePerDomain() {
    PlanConfig config =
        PlanConfig.builder(Strategy.PER_SOURCE, 1_000_000L).targetLongShare(0.7).build();
    Plan plan = MixturePlanner.plan(SLIM, config);
    for (DomainPlan d : plan.domains()) {
      double p = SLIM.longShare(d.domain());
      if (p < 0.7) {
        assertEquals(0.7, d.expectedLongShare(), 1e-9, d.domain());
      } else {
        // Already above τ: the formula asks for r > 1, so short documents are kept at rate 1.
        assertEquals(1.0, d.shortClass().rate(), 0, d.domain());
        assertEquals(p, d.expectedLongShare(), 1e-9, d.domain());
      }
    }
  }

  @Test
  void authorsJointDomainUpsamplingGivesTwentyTwoAndAHalfPercent() {
    PlanConfig config =
        PlanConfig.builder(Strategy.DOMAIN, 10_000_000L)
            .domainSharesPreset(DomainShares.SLIMPAJAMA)
            .upsampleJoint(DomainShares.AUTHORS_UPSAMPLED)
            .maxCopies(4)
            .infeasible(InfeasiblePolicy.REPEAT)
            .build();
    Plan plan = MixturePlanner.plan(SLIM, config);
    Map<String, Double> expected =
        Map.of(
            DomainShares.GITHUB, .225,
            DomainShares.ARXIV, .225,
            DomainShares.BOOK, .225,
            DomainShares.COMMON_CRAWL, .200,
            DomainShares.C4, .100,
            DomainShares.WIKIPEDIA, .013,
            DomainShares.STACK_EXCHANGE, .012);
    expected.forEach(
        (d, share) -> {
          DomainPlan dp = plan.domain(d).orElseThrow();
          assertEquals(share, dp.targetShare(), 0.0006, d);
          assertEquals(dp.targetShare(), dp.expectedShare(), 1e-6, d);
        });
  }

  @Test
  void singleDomainFormGivesTheChosenDomainItsShare() {
    PlanConfig config =
        PlanConfig.builder(Strategy.DOMAIN, 2_000_000L)
            .upsampleToShare(DomainShares.ARXIV, 0.55)
            .build();
    Plan plan = MixturePlanner.plan(SLIM, config);
    double othersNatural = 1 - SLIM.tokenShare(DomainShares.ARXIV);
    for (DomainPlan d : plan.domains()) {
      double expected =
          d.domain().equals(DomainShares.ARXIV)
              ? 0.55
              : 0.45 * SLIM.tokenShare(d.domain()) / othersNatural;
      assertEquals(expected, d.targetShare(), 1e-12, d.domain());
      assertEquals(expected, d.expectedShare(), 1e-6, d.domain());
    }
  }

  @Test
  void cutStrategiesKeepTheNaturalMixAndLongShare() {
    for (Strategy s : List.of(Strategy.CUT_4K, Strategy.CUT_128K)) {
      Plan plan = MixturePlanner.plan(SLIM, PlanConfig.builder(s, SLIM.tokens() / 2).build());
      assertEquals(s.defaultPieceTokens(), plan.config().pieceTokens());
      for (DomainPlan d : plan.domains()) {
        assertEquals(SLIM.tokenShare(d.domain()), d.expectedShare(), 1e-9, s + " " + d.domain());
      }
      assertEquals(SLIM.longShare(), plan.expectedLongShare(), 1e-9);
      assertEquals(0.5, plan.pools().get(0).expectedTime(), 1e-9);
    }
  }

  @Test
  void expectedTimeMatchesHandComputedCases() {
    // Long 1,000 tokens at rate 1, short 9,000 at rate 0.1, K = 2: slope 1,900 up to T = 2, then
    // 900 (long capped at 2,000) up to T = 20, where everything (20,000 tokens) is drawn.
    assertEquals(1500 / 1900.0, MixturePlanner.expectedTime(1500, 1000, 1, 9000, 0.1, 2), 1e-12);
    assertEquals(2 + 1200 / 900.0, MixturePlanner.expectedTime(5000, 1000, 1, 9000, 0.1, 2), 1e-9);
    assertEquals(20, MixturePlanner.expectedTime(20_000, 1000, 1, 9000, 0.1, 2), 1e-9);
    assertEquals(0, MixturePlanner.expectedTime(0, 1000, 1, 9000, 0.1, 2));
  }

  @Test
  void verdictsFollowTheCapAndThePolicy() {
    LengthHistogram small = LengthHistogram.fig2();
    small.add("d", 5000);
    for (int i = 0; i < 45; i++) {
      small.add("d", 1000); // 45,000 short tokens; 50,000 in all
    }
    PlanConfig.Builder base =
        PlanConfig.builder(Strategy.PER_SOURCE, 1).infeasible(InfeasiblePolicy.REPEAT);
    assertEquals(
        PoolPlan.Verdict.FITS,
        MixturePlanner.plan(small, rebudget(base, 9_500)).pools().get(0).verdict());
    // 5,000·T + 4,500·T > 9,500 needs T > 1: the long document repeats.
    Plan repeats =
        MixturePlanner.plan(small, rebudget(base, 12_000).toBuilder().maxCopies(3).build());
    assertEquals(PoolPlan.Verdict.REPEATS, repeats.pools().get(0).verdict());
    // The long class's pool gets a whole-token budget, so mean copies match to rounding.
    assertEquals(12_000 / 9_500.0, repeats.pools().get(0).longClass().meanCopies(), 1e-3);

    InfeasiblePlanException noRepeat =
        assertThrows(
            InfeasiblePlanException.class,
            () ->
                MixturePlanner.plan(
                    small,
                    rebudget(base, 12_000).toBuilder()
                        .maxCopies(3)
                        .infeasible(InfeasiblePolicy.FAIL)
                        .build()));
    assertTrue(
        noRepeat.getMessage().contains("domain d needs 12,000 tokens"), noRepeat.getMessage());
    assertTrue(noRepeat.getMessage().contains("infeasible = repeat"), noRepeat.getMessage());

    // The cap: K = 2 allows 100,000 tokens at most.
    InfeasiblePlanException overCap =
        assertThrows(
            InfeasiblePlanException.class,
            () ->
                MixturePlanner.plan(
                    small, rebudget(base, 100_001).toBuilder().maxCopies(2).build()));
    assertTrue(
        overCap.getMessage().contains("50,000 exist to be taken once"), overCap.getMessage());
    assertTrue(overCap.getMessage().contains("100,000 with max-copies = 2"), overCap.getMessage());
    assertTrue(overCap.getMessage().contains("at least 3"), overCap.getMessage());
    assertEquals(PoolPlan.Verdict.INFEASIBLE, overCap.plan().pools().get(0).verdict());
  }

  private static PlanConfig rebudget(PlanConfig.Builder b, long budget) {
    PlanConfig c = b.build();
    return new PlanConfig(
        c.strategy(),
        budget,
        c.longThreshold(),
        c.keepRate(),
        c.targetLongShare(),
        c.domainShares(),
        c.upsampleDomains(),
        c.upsampleForm(),
        c.upsampleWeight(),
        c.maxCopies(),
        c.infeasible(),
        c.pieceTokens(),
        c.seed());
  }

  @Test
  void budgetsSumExactlyWithLargestRemainder() {
    long n = 1_000_000_007L;
    Map<String, Long> budgets =
        MixturePlanner.largestRemainder(n, DomainShares.preset(DomainShares.SLIMPAJAMA));
    assertEquals(n, budgets.values().stream().mapToLong(Long::longValue).sum());
    assertEquals(534_000_003L, budgets.get(DomainShares.COMMON_CRAWL), 1);
    Map<String, Long> thirds =
        MixturePlanner.largestRemainder(10, Map.of("a", 1 / 3.0, "b", 1 / 3.0, "c", 1 / 3.0));
    assertEquals(Map.of("a", 4L, "b", 3L, "c", 3L), thirds);
  }

  @Test
  void rejectsSharesForDomainsTheHistogramLacks() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                MixturePlanner.plan(
                    SLIM,
                    PlanConfig.builder(Strategy.PER_SOURCE, 100)
                        .domainShares(Map.of("RedPajamaC4", 0.5, "Unknown", 0.5))
                        .build()));
    assertEquals(PlanConfig.DOMAIN_SHARES, e.key());
    assertTrue(
        e.getMessage().startsWith("--domain-shares = 'Unknown=0.5': the histogram has no domain"));
  }

  @Test
  void rejectsAThresholdTheHistogramWasNotCountedWith() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                MixturePlanner.plan(
                    SLIM, PlanConfig.builder(Strategy.GLOBAL, 100).longThreshold(8192).build()));
    assertEquals(PlanConfig.LONG_THRESHOLD, e.key());
  }

  @Test
  void tableIsReadableAndLocaleIndependent() {
    Plan plan =
        MixturePlanner.plan(
            SLIM, PlanConfig.builder(Strategy.PER_SOURCE, 5_000_000_000L / 1000).build());
    String table = plan.toTable();
    assertTrue(table.contains("strategy per-source, budget 5,000,000 tokens"), table);
    assertTrue(table.contains("rows of 81,920"), table);
    assertTrue(table.contains("batches of 4,000,000"), table);
    assertTrue(table.contains(DomainShares.BOOK), table);
    assertTrue(table.contains("0.1000"), "decimal point, not comma, under tr_TR:\n" + table);
  }

  @Test
  void planRoundTripsThroughJsonAndJavaSerialization() throws Exception {
    Plan plan =
        MixturePlanner.plan(
            SLIM,
            PlanConfig.builder(Strategy.DOMAIN, 1_000_000)
                .upsampleJoint(DomainShares.AUTHORS_UPSAMPLED)
                .build());
    ObjectMapper mapper = new ObjectMapper();
    String json = mapper.writeValueAsString(plan);
    assertEquals(plan, mapper.readValue(json, Plan.class));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(plan);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(plan, in.readObject());
    }
  }
}
