package dev.longmix.common.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.longmix.common.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PlanConfigTest {

  @Test
  void defaultsAreTheRecipes() {
    PlanConfig c = PlanConfig.builder(Strategy.PER_SOURCE, 1000).build();
    assertEquals(4096, c.longThreshold());
    assertEquals(KeepRates.uniform(0.1), c.keepRate());
    assertEquals(0, c.pieceTokens());
    assertEquals(Map.of(), c.domainShares());
    assertEquals(4096, PlanConfig.builder(Strategy.CUT_4K, 1).build().pieceTokens());
    assertEquals(131_072, PlanConfig.builder(Strategy.CUT_128K, 1).build().pieceTokens());
    assertEquals(
        0.6,
        PlanConfig.builder(Strategy.DOMAIN, 1)
            .upsampleJoint(List.of("x"))
            .build()
            .upsampleWeight());
  }

  @Test
  void errorsNameKeyValueAndRule() {
    assertError(
        "budget-tokens = -5: must be a positive integer",
        () -> PlanConfig.builder(Strategy.GLOBAL, -5).build());
    assertError(
        "keep-rate = 1.5: must be in [0, 1]",
        () -> PlanConfig.builder(Strategy.GLOBAL, 5).keepRate(1.5).build());
    assertError(
        "max-copies = 0: must be an integer >= 1",
        () -> PlanConfig.builder(Strategy.GLOBAL, 5).maxCopies(0).build());
    assertError(
        "target-long-share = 1.0: must be in (0, 1)",
        () -> PlanConfig.builder(Strategy.GLOBAL, 5).targetLongShare(1.0).build());
    assertError(
        "upsample-domains = []: the domain strategy needs at least one domain to raise",
        () -> PlanConfig.builder(Strategy.DOMAIN, 5).build());
    assertError(
        "piece-tokens = 100: must be 0 (whole documents) for global; only cut strategies cut",
        () -> PlanConfig.builder(Strategy.GLOBAL, 5).pieceTokens(100).build());
    assertError(
        "strategy = per_source: must be one of cut-4k, cut-128k, per-source, global, domain",
        () -> Strategy.fromCli("per_source"));
  }

  @Test
  void sharesMustSumToOne() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                PlanConfig.builder(Strategy.PER_SOURCE, 5)
                    .domainShares(Map.of("a", 0.5, "b", 0.49))
                    .build());
    assertEquals(PlanConfig.DOMAIN_SHARES, e.key());
    assertEquals("shares must sum to 1 (within 1e-6), they sum to 0.99", e.rule());
    assertError(
        "domain-shares = a=0.3,b=0.3,c=0.3: shares must sum to 1 (within 1e-6), they sum to 0.9",
        () -> {
          Map<String, Double> m = new java.util.LinkedHashMap<>();
          m.put("a", 0.3);
          m.put("b", 0.3);
          m.put("c", 0.3);
          return PlanConfig.builder(Strategy.PER_SOURCE, 5).domainShares(m).build();
        });
    assertError(
        "domain-shares = a=1.5,b=-0.5: every share must be a number in [0, 1]; a=1.5 is not",
        () -> {
          Map<String, Double> m = new java.util.LinkedHashMap<>();
          m.put("a", 1.5);
          m.put("b", -0.5);
          return PlanConfig.builder(Strategy.PER_SOURCE, 5).domainShares(m).build();
        });
    // Within tolerance is fine.
    PlanConfig.builder(Strategy.PER_SOURCE, 5)
        .domainShares(Map.of("a", 0.5, "b", 0.5000005))
        .build();
    assertError(
        "domain-shares = a=1.0: global keeps the corpus's own domain shares; only per-source and"
            + " domain take shares",
        () -> PlanConfig.builder(Strategy.GLOBAL, 5).domainShares(Map.of("a", 1.0)).build());
  }

  @Test
  void presetsSumToOneAndUnknownPresetsAreRejected() {
    for (String name : DomainShares.presetNames()) {
      double sum = DomainShares.preset(name).values().stream().mapToDouble(d -> d).sum();
      assertEquals(1.0, sum, 1e-9, name);
    }
    assertError(
        "domain-shares = llama2: must be natural, one of [llama1, slimpajama], or an explicit"
            + " domain=share map",
        () -> DomainShares.preset("llama2"));
  }

  @Test
  void cliNamesParseUnderTurkishLocale() {
    // The build runs tests with -Duser.language=tr, where "I".toLowerCase() is a dotless ı.
    for (Strategy s : Strategy.values()) {
      assertEquals(s, Strategy.fromCli(s.cliName()));
    }
    assertEquals("per-source", Strategy.PER_SOURCE.cliName());
    assertEquals(InfeasiblePolicy.FAIL, InfeasiblePolicy.fromCli("fail"));
  }

  private static void assertError(String message, Supplier<Object> call) {
    ConfigException e = assertThrows(ConfigException.class, call::get);
    // The tests state errors as "key = value: rule"; the message quotes the value and adds "--".
    int eq = message.indexOf(" = ");
    int colon = message.indexOf(": ", eq);
    String expected =
        "--"
            + message.substring(0, eq)
            + " = '"
            + message.substring(eq + 3, colon)
            + "'"
            + message.substring(colon);
    assertEquals(expected, e.getMessage());
  }
}
