package dev.longmix.common.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.histogram.LengthHistogram;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The planner with a keep rate per domain. The ProLong-like corpus: books (100,000 long tokens,
 * 20,000 short), code (40,000 long, 60,000 short), web (10,000 long, 190,000 short).
 */
class KeepRatePerDomainTest {
  private static final LengthHistogram PROLONG = prolong();

  private static LengthHistogram prolong() {
    LengthHistogram h = LengthHistogram.fig2();
    add(h, "books", 10, 10_000, 20);
    add(h, "code", 5, 8_000, 60);
    add(h, "web", 2, 5_000, 190);
    return h;
  }

  /** {@code longDocs} long documents of {@code longLength} and {@code shortDocs} of 1,000. */
  private static void add(
      LengthHistogram h, String d, int longDocs, int longLength, int shortDocs) {
    for (int i = 0; i < longDocs; i++) {
      h.add(d, longLength);
    }
    for (int i = 0; i < shortDocs; i++) {
      h.add(d, 1000);
    }
  }

  private static DomainPlan domain(Plan p, String d) {
    return p.domain(d).orElseThrow();
  }

  @Test
  void proLongLongSourcesGiveLongDocumentsOnlyAndShortSourcesComeWhole() {
    Plan p =
        MixturePlanner.plan(
            PROLONG,
            PlanConfig.builder(Strategy.PER_SOURCE, 100_000)
                .keepRate(KeepRates.parse("books=0,code=0,*=1"))
                .domainShares(Map.of("books", 0.3, "code", 0.3, "web", 0.4))
                .build());
    assertEquals(100_000, p.budgetTokens());
    Map<String, Double> rates = Map.of("books", 0.0, "code", 0.0, "web", 1.0);
    Map<String, Double> longShares = Map.of("books", 1.0, "code", 1.0, "web", 0.05);
    Map<String, Double> shares = Map.of("books", 0.3, "code", 0.3, "web", 0.4);
    for (String d : List.of("books", "code", "web")) {
      DomainPlan dp = domain(p, d);
      assertEquals(rates.get(d), dp.shortClass().rate(), d);
      assertEquals(longShares.get(d), dp.expectedLongShare(), 1e-9, d);
      assertEquals(dp.formulaLongShare(), dp.expectedLongShare(), 1e-9, d);
      assertEquals(shares.get(d), dp.expectedShare(), 1e-9, d);
      assertTrue(dp.followsKeepRule(), d);
    }
    // Each pool draws at its own rate; short books and code are never drawn.
    assertEquals(0, p.pool("books/short").orElseThrow().budgetTokens());
    assertEquals(0.0, p.pool("books/short").orElseThrow().drawRate());
    assertEquals(30_000, p.pool("books/long").orElseThrow().budgetTokens());
    assertEquals(1.0, p.pool("web/short").orElseThrow().drawRate());
    assertEquals(40_000 * 0.95, p.pool("web/short").orElseThrow().budgetTokens(), 1);
    String table = p.toTable();
    assertTrue(table.contains("short documents kept at rate r = books=0.0000 code=0.0000"), table);
    assertTrue(table.matches("(?s).*\\nbooks/short +0 +0\\.0000 .*"), table);
    assertTrue(table.matches("(?s).*\\nweb/short +[0-9,]+ +1\\.0000 .*"), table);
  }

  @Test
  void oneRateSpelledAsTheRestIsTheSamePlanAsTheNumber() {
    for (Strategy s : List.of(Strategy.PER_SOURCE, Strategy.GLOBAL)) {
      Plan number = MixturePlanner.plan(PROLONG, PlanConfig.builder(s, 50_000).build());
      Plan rest =
          MixturePlanner.plan(
              PROLONG, PlanConfig.builder(s, 50_000).keepRate(KeepRates.parse("*=0.1")).build());
      assertEquals(number, rest, s.cliName());
    }
  }

  @Test
  void globalDriftsToEachDomainsOwnRate() {
    // w_s(p_s + r_s(1−p_s)) ∝ L_s + r_s·S_s: books 100,000 + 20,000, code 40,000 + 30,000, web
    // 10,000 + 19,000; 219,000 in all, more than the budget, so every domain fits once.
    KeepRates rates = KeepRates.parse("books=1,code=0.5,*=0.1");
    Plan p =
        MixturePlanner.plan(
            PROLONG, PlanConfig.builder(Strategy.GLOBAL, 100_000).keepRate(rates).build());
    Map<String, Double> expected = Map.of("books", 120.0, "code", 70.0, "web", 29.0);
    Map<String, Double> longShare =
        Map.of("books", 100 / 120.0, "code", 40 / 70.0, "web", 10 / 29.0);
    for (String d : List.of("books", "code", "web")) {
      DomainPlan dp = domain(p, d);
      assertEquals(expected.get(d) / 219, dp.targetShare(), 1e-9, d);
      // Expected shares come from whole-token pool budgets.
      assertEquals(expected.get(d) / 219, dp.expectedShare(), 1e-5, d);
      assertEquals(rates.rate(d), dp.shortClass().rate(), d);
      assertEquals(longShare.get(d), dp.expectedLongShare(), 1e-9, d);
    }
    // The one pool as a whole: L/(L + Σ r_s·S_s) = 150,000 / 219,000.
    assertEquals(150 / 219.0, p.expectedLongShare(), 1e-5);
    // p = 150/420; the short rate Σ r_s·S_s / Σ S_s = 69,000 / 270,000; formula = planned.
    String table = p.toTable();
    assertTrue(
        table.matches(
            "(?s).*\\nall \\(one pool\\) +0\\.3571 +0\\.2556 +0\\.2556 +0\\.6849 +0\\.6849\\n.*"),
        table);
  }

  @Test
  void eachPoolIsCheckedAgainstTheKeepRuleAtItsOwnRate() {
    // a and b each hold one long document of 5,000 tokens and 45 short ones of 1,000: at rate
    // 0.1 the rule gives a at most 9,500 tokens, at rate 0.5 b 27,500.
    LengthHistogram h = LengthHistogram.fig2();
    add(h, "a", 1, 5_000, 45);
    add(h, "b", 1, 5_000, 45);
    KeepRates rates = KeepRates.parse("a=0.1,b=0.5");
    PlanConfig.Builder half =
        PlanConfig.builder(Strategy.PER_SOURCE, 19_000)
            .keepRate(rates)
            .domainShares(Map.of("a", 0.5, "b", 0.5));
    Plan fits = MixturePlanner.plan(h, half.build());
    assertEquals(5_000 / 9_500.0, domain(fits, "a").expectedLongShare(), 1e-9);
    assertEquals(5_000 / 27_500.0, domain(fits, "b").formulaLongShare(), 1e-9);
    String m =
        assertThrows(
                InfeasiblePlanException.class,
                () -> MixturePlanner.plan(h, half.budgetTokens(19_002).build()))
            .getMessage();
    assertTrue(m.contains("domain a needs 9,501 tokens but the keep rule cannot fill it"), m);
    assertTrue(m.contains("at keep rate 0.1000"), m);
    assertTrue(m.contains("keep-rate at least 0.1000 for a"), m);
    assertFalse(m.contains("domain b"), m);

    PlanConfig.Builder mostlyB =
        PlanConfig.builder(Strategy.PER_SOURCE, 30_000)
            .keepRate(rates)
            .domainShares(Map.of("a", 0.1, "b", 0.9));
    MixturePlanner.plan(h, mostlyB.build()); // b: 27,000 of 27,500
    m =
        assertThrows(
                InfeasiblePlanException.class,
                () -> MixturePlanner.plan(h, mostlyB.budgetTokens(30_600).build()))
            .getMessage();
    assertTrue(m.contains("domain b needs 27,540 tokens but the keep rule cannot fill it"), m);
    assertTrue(m.contains("at keep rate 0.5000"), m);
    assertFalse(m.contains("domain a"), m);
    // fill-short takes b's rest from its short documents and says b departs from the rule.
    Plan filled =
        MixturePlanner.plan(
            h, mostlyB.budgetTokens(30_600).infeasible(InfeasiblePolicy.FILL_SHORT).build());
    assertTrue(domain(filled, "a").followsKeepRule());
    assertFalse(domain(filled, "b").followsKeepRule());

    // Global: one pool whose rule gives 10,000 + 45,000·0.1 + 45,000·0.5 = 37,000.
    PlanConfig.Builder global = PlanConfig.builder(Strategy.GLOBAL, 37_000).keepRate(rates);
    Plan all = MixturePlanner.plan(h, global.build());
    assertEquals(37_000, all.budgetTokens());
    assertEquals(4_500 / 37_000.0 + 5_000 / 37_000.0, domain(all, "a").expectedShare(), 1e-9);
    m =
        assertThrows(
                InfeasiblePlanException.class,
                () -> MixturePlanner.plan(h, global.budgetTokens(37_001).build()))
            .getMessage();
    assertTrue(m.contains("the single pool needs 37,001 tokens but the keep rule cannot"), m);
    assertTrue(m.contains("at keep rate 0.3000"), m); // the token-weighted mean of 0.1 and 0.5
    assertTrue(m.contains("keep-rate at least 0.3000 for every domain"), m); // 27,001 / 90,000
    // Past every copy of everything selectable.
    m =
        assertThrows(
                InfeasiblePlanException.class,
                () ->
                    MixturePlanner.plan(
                        h,
                        global
                            .budgetTokens(100_001)
                            .infeasible(InfeasiblePolicy.FILL_SHORT)
                            .build()))
            .getMessage();
    assertTrue(m.contains("100,000 exist to be taken once"), m);
  }

  @Test
  void theDomainStrategyTakesEachDomainsRate() {
    Plan p =
        MixturePlanner.plan(
            PROLONG,
            PlanConfig.builder(Strategy.DOMAIN, 60_000)
                .upsampleJoint(List.of("books"))
                .keepRate(KeepRates.parse("books=0,*=0.5"))
                .build());
    assertEquals(0.0, domain(p, "books").shortClass().rate());
    assertEquals(1.0, domain(p, "books").expectedLongShare(), 1e-9);
    assertEquals(0.5, domain(p, "code").shortClass().rate());
    assertEquals(0.5, domain(p, "web").shortClass().rate());
    assertEquals(60_000, p.budgetTokens());
  }

  @Test
  void aRateForADomainTheHistogramLacksIsAConfigError() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                MixturePlanner.plan(
                    PROLONG,
                    PlanConfig.builder(Strategy.PER_SOURCE, 1000)
                        .keepRate(KeepRates.parse("book=0,*=1"))
                        .build()));
    assertEquals(PlanConfig.KEEP_RATE, e.key());
    assertEquals("book=0.0", e.value());
    assertTrue(e.rule().contains("the histogram has no domain book; it has [books, code, web]"));
  }
}
