package dev.longmix.common.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.histogram.LengthHistogram;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Budgets on both sides of the keep rule's cap. Domain {@code a} holds one long document of 5,000
 * tokens and 45 short ones of 1,000: at keep rate 0.1 the rule gives 5,000 + 4,500 = 9,500 tokens
 * per copy of each long document, so with {@code max-copies} K it gives at most 9,500·K while
 * keeping the long share at p/(p + r(1−p)) = 5,000/9,500. Domain {@code b} holds only short
 * documents (50 of 1,000 tokens).
 */
class KeepRuleCapTest {
  private static final LengthHistogram ONE = histogram(false);
  private static final LengthHistogram TWO = histogram(true);
  private static final double RULE_SHARE = 5_000 / 9_500.0;

  private static LengthHistogram histogram(boolean withShortOnlyDomain) {
    LengthHistogram h = LengthHistogram.fig2();
    h.add("a", 5000);
    for (int i = 0; i < 45; i++) {
      h.add("a", 1000);
    }
    if (withShortOnlyDomain) {
      for (int i = 0; i < 50; i++) {
        h.add("b", 1000);
      }
    }
    return h;
  }

  private static PlanConfig.Builder perSource(long budget, InfeasiblePolicy policy, int k) {
    return PlanConfig.builder(Strategy.PER_SOURCE, budget).infeasible(policy).maxCopies(k);
  }

  private static DomainPlan domain(Plan plan, String d) {
    return plan.domain(d).orElseThrow();
  }

  @Test
  void failStopsOneTokenPastWhatTheRuleGivesOnce() {
    Plan fits = MixturePlanner.plan(ONE, perSource(9_500, InfeasiblePolicy.FAIL, 1).build());
    assertEquals(RULE_SHARE, domain(fits, "a").expectedLongShare(), 1e-9);
    assertTrue(domain(fits, "a").followsKeepRule());
    assertTrue(fits.toTable().contains("every domain gets the keep rule's long share"));

    InfeasiblePlanException e =
        assertThrows(
            InfeasiblePlanException.class,
            () -> MixturePlanner.plan(ONE, perSource(9_501, InfeasiblePolicy.FAIL, 1).build()));
    String m = e.getMessage();
    for (String part :
        List.of(
            "domain a needs 9,501 tokens but the keep rule cannot fill it",
            "at keep rate 0.1000 with max-copies = 1 it gives at most 9,500",
            "long 5,000 tokens x 1, short 45,000 x 0.1000 x 1",
            "lowering its long share from 0.5263 to 0.5263", // 5,000/9,501 rounds the same
            "budget-tokens at most 9,500",
            "keep-rate at least 0.1000", // (9,501 − 5,000)/45,000 = 0.10002
            "max-copies at least 2 with infeasible = repeat",
            "infeasible = fill-short")) {
      assertTrue(m.contains(part), "missing '" + part + "' in: " + m);
    }
    // The rejected plan still says where it departs, for the table printed before the error.
    assertFalse(domain(e.plan(), "a").followsKeepRule());
    assertTrue(e.plan().toTable().contains("DIFFERS"), e.plan().toTable());
  }

  @Test
  void failStopsWellPastTheCapWithTheSettingsThatWouldFit() {
    InfeasiblePlanException e =
        assertThrows(
            InfeasiblePlanException.class,
            () -> MixturePlanner.plan(ONE, perSource(20_000, InfeasiblePolicy.FAIL, 1).build()));
    String m = e.getMessage();
    assertTrue(m.contains("at most 9,500"), m);
    assertTrue(m.contains("from 0.5263 to 0.2500"), m); // 5,000 / 20,000
    assertTrue(m.contains("keep-rate at least 0.3333"), m); // 15,000 / 45,000
    assertTrue(m.contains("max-copies at least 3 with infeasible = repeat"), m); // 20,000/9,500
  }

  @Test
  void repeatKeepsTheRuleUpToTheCapAndStopsPastIt() {
    Plan atCap = MixturePlanner.plan(ONE, perSource(28_500, InfeasiblePolicy.REPEAT, 3).build());
    DomainPlan a = domain(atCap, "a");
    assertEquals(3.0, a.longClass().meanCopies(), 1e-9);
    assertEquals(RULE_SHARE, a.expectedLongShare(), 1e-9);
    assertEquals(0.1, a.effectiveKeepRate(), 1e-9);
    assertTrue(a.followsKeepRule());

    InfeasiblePlanException e =
        assertThrows(
            InfeasiblePlanException.class,
            () -> MixturePlanner.plan(ONE, perSource(28_501, InfeasiblePolicy.REPEAT, 3).build()));
    assertTrue(
        e.getMessage().contains("with max-copies = 3 it gives at most 28,500"), e.getMessage());
    assertTrue(e.getMessage().contains("max-copies at least 4"), e.getMessage());
  }

  @Test
  void fillShortTakesTheRestFromShortDocumentsAndSaysSo() {
    Plan below = MixturePlanner.plan(ONE, perSource(9_500, InfeasiblePolicy.FILL_SHORT, 1).build());
    assertTrue(domain(below, "a").followsKeepRule());

    Plan past = MixturePlanner.plan(ONE, perSource(20_000, InfeasiblePolicy.FILL_SHORT, 1).build());
    DomainPlan a = domain(past, "a");
    assertFalse(a.followsKeepRule());
    assertEquals(RULE_SHARE, a.formulaLongShare(), 1e-9);
    assertEquals(0.25, a.expectedLongShare(), 1e-9);
    // Long documents once each, short ones at 15,000/45,000 copies per token.
    assertEquals(1.0 / 3, a.effectiveKeepRate(), 1e-9);
    assertEquals(20_000, past.budgetTokens());
    String table = past.toTable();
    assertTrue(table.contains("DIFFERS: every long document taken 1 time(s)"), table);
    assertTrue(table.contains("1 domain(s) differ"), table);

    // With K = 3 the long document is repeated to its cap before short ones fill the rest.
    Plan repeated =
        MixturePlanner.plan(ONE, perSource(30_000, InfeasiblePolicy.FILL_SHORT, 3).build());
    assertEquals(3.0, domain(repeated, "a").longClass().meanCopies(), 1e-9);
    assertEquals(0.5, domain(repeated, "a").expectedLongShare(), 1e-9);

    // Everything selectable, and one token more.
    MixturePlanner.plan(ONE, perSource(50_000, InfeasiblePolicy.FILL_SHORT, 1).build());
    InfeasiblePlanException over =
        assertThrows(
            InfeasiblePlanException.class,
            () ->
                MixturePlanner.plan(
                    ONE, perSource(50_001, InfeasiblePolicy.FILL_SHORT, 1).build()));
    assertTrue(over.getMessage().contains("50,000 exist to be taken once"), over.getMessage());
  }

  @Test
  void aKeepRateOfOneHasNoCapToCrossBeforeTheInputRunsOut() {
    for (InfeasiblePolicy policy : InfeasiblePolicy.values()) {
      Plan all = MixturePlanner.plan(ONE, perSource(50_000, policy, 1).keepRate(1.0).build());
      assertTrue(domain(all, "a").followsKeepRule(), policy.cliName());
      InfeasiblePlanException e =
          assertThrows(
              InfeasiblePlanException.class,
              () -> MixturePlanner.plan(ONE, perSource(50_001, policy, 1).keepRate(1.0).build()));
      assertTrue(e.getMessage().contains("50,000 exist to be taken once"), e.getMessage());
    }
  }

  @Test
  void aDomainWithoutLongDocumentsHasNoRuleToBreak() {
    // Domain b: its short documents alone are the pool, so it gives all 50,000 tokens once at
    // any keep rate (the rate sets only how fast they are drawn).
    Plan plan =
        MixturePlanner.plan(
            TWO,
            perSource(50_000, InfeasiblePolicy.FAIL, 1)
                .domainShares(Map.of("a", 0.1, "b", 0.9))
                .build());
    assertTrue(domain(plan, "b").followsKeepRule());
    assertEquals(45_000, domain(plan, "b").expectedTokens(), 1e-6);
    assertEquals(0.9, domain(plan, "b").shortClass().meanCopies(), 1e-9);
  }

  @Test
  void targetLongShareThatCannotBeReachedSaysSo() {
    // τ = 0.7 with p = 5,000/50,000 solves r = 0.1·0.3/(0.7·0.9) = 0.047619: once-yield 7,142.9.
    PlanConfig.Builder tau = perSource(7_142, InfeasiblePolicy.FAIL, 1).targetLongShare(0.7);
    Plan fits = MixturePlanner.plan(ONE, tau.build());
    assertEquals(0.7, domain(fits, "a").expectedLongShare(), 1e-9);
    assertTrue(domain(fits, "a").followsKeepRule());

    InfeasiblePlanException e =
        assertThrows(
            InfeasiblePlanException.class,
            () ->
                MixturePlanner.plan(
                    ONE, perSource(10_000, InfeasiblePolicy.FAIL, 1).targetLongShare(0.7).build()));
    String m = e.getMessage();
    assertTrue(m.contains("its target long share 0.7000 cannot be reached"), m);
    // Long 5,000 once and short at (10,000 − 5,000)/45,000: long share 0.5.
    assertTrue(m.contains("target-long-share at most 0.5000"), m);

    Plan filled =
        MixturePlanner.plan(
            ONE, perSource(10_000, InfeasiblePolicy.FILL_SHORT, 1).targetLongShare(0.7).build());
    assertEquals(0.5, domain(filled, "a").expectedLongShare(), 1e-9);
    assertFalse(domain(filled, "a").followsKeepRule());
  }

  @Test
  void globalChecksItsOnePool() {
    // One pool of 5,000 long and 95,000 short tokens: 5,000 + 9,500 = 14,500 per copy.
    Plan fits = MixturePlanner.plan(TWO, PlanConfig.builder(Strategy.GLOBAL, 14_500).build());
    assertTrue(fits.domains().stream().allMatch(DomainPlan::followsKeepRule));
    assertFalse(fits.toTable().contains("DIFFERS"), fits.toTable());

    InfeasiblePlanException e =
        assertThrows(
            InfeasiblePlanException.class,
            () -> MixturePlanner.plan(TWO, PlanConfig.builder(Strategy.GLOBAL, 14_501).build()));
    assertTrue(e.getMessage().startsWith("the single pool needs 14,501 tokens"), e.getMessage());
    assertTrue(e.getMessage().contains("at most 14,500"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());

    Plan filled =
        MixturePlanner.plan(
            TWO,
            PlanConfig.builder(Strategy.GLOBAL, 30_000)
                .infeasible(InfeasiblePolicy.FILL_SHORT)
                .build());
    assertEquals(5_000 / 30_000.0, filled.expectedLongShare(), 1e-9);
    assertTrue(filled.toTable().contains("all (one pool)"), filled.toTable());
    assertTrue(filled.toTable().contains("DIFFERS"), filled.toTable());
  }

  @Test
  void domainUpsamplingChecksEachRaisedDomain() {
    // a raised to 55% of the budget: it gives at most 9,500, so the budget fits to 17,272.
    PlanConfig.Builder raise =
        PlanConfig.builder(Strategy.DOMAIN, 17_000)
            .upsampleDomains(List.of("a"))
            .upsampleForm(UpsampleForm.TARGET_SHARE)
            .upsampleWeight(0.55);
    Plan fits = MixturePlanner.plan(TWO, raise.build());
    assertTrue(domain(fits, "a").followsKeepRule());

    InfeasiblePlanException e =
        assertThrows(
            InfeasiblePlanException.class,
            () -> MixturePlanner.plan(TWO, raise.budgetTokens(18_000).build()));
    assertTrue(e.getMessage().startsWith("domain a needs 9,900 tokens"), e.getMessage());
    assertTrue(e.getMessage().contains("budget-tokens at most 17,272"), e.getMessage());
  }

  @Test
  void cutStrategiesTakeEveryPieceAtOneRate() {
    for (Strategy s : List.of(Strategy.CUT_4K, Strategy.CUT_128K)) {
      Plan all =
          MixturePlanner.plan(
              TWO, PlanConfig.builder(s, 100_000).pieceTokens(s.defaultPieceTokens()).build());
      assertTrue(all.domains().stream().allMatch(DomainPlan::followsKeepRule), s.cliName());
      assertFalse(all.toTable().contains("keep rule:"), s.cliName());
    }
  }
}
