package dev.longmix.common.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longmix.common.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code --keep-rate} as typed: one rate, or rates per domain with {@code *} for the rest. */
class KeepRatesTest {

  /** (typed, the rate of books, of code, of a domain not named, whether one rate for all). */
  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("0.1", 0.1, 0.1, 0.1, true),
        Arguments.of("0", 0.0, 0.0, 0.0, true),
        Arguments.of("1", 1.0, 1.0, 1.0, true),
        Arguments.of(" 0.25 ", 0.25, 0.25, 0.25, true),
        Arguments.of("books=0,code=0,*=1", 0.0, 0.0, 1.0, false),
        Arguments.of("*=1,books=0,code=0", 0.0, 0.0, 1.0, false),
        Arguments.of(" books = 0.5 , *=0.2", 0.5, 0.2, 0.2, false),
        // Without *, the rest keep the default rate.
        Arguments.of("books=0", 0.0, 0.1, 0.1, false),
        // Only the rest: the same as one rate for all.
        Arguments.of("*=0.3", 0.3, 0.3, 0.3, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parses(String typed, double books, double code, double other, boolean uniform) {
    KeepRates k = KeepRates.parse(typed);
    assertEquals(books, k.rate("books"));
    assertEquals(code, k.rate("code"));
    assertEquals(other, k.rate("web"));
    assertEquals(uniform, k.isUniform());
    // What the manifest and the plan's text say parses back to the same rates.
    assertEquals(k, KeepRates.parse(k.toString()));
  }

  /** (typed, what the message must say). */
  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("1.5", "must be a number in [0, 1], or NAME=R,...,*=R"),
        Arguments.of("-0.1", "must be a number in [0, 1]"),
        Arguments.of("lots", "'lots' is not a number"),
        Arguments.of("NaN", "'NaN' is not a number"),
        Arguments.of("books=1.5,*=1", "the rate of books is 1.5; a rate must be in [0, 1]"),
        Arguments.of("books=0,*=-1", "the rate of * is -1; a rate must be in [0, 1]"),
        Arguments.of("books=x", "'x' is not a number"),
        Arguments.of("=0.5,*=1", "entry '=0.5' has an empty domain name"),
        Arguments.of("books=0,,*=1", "entry '' is not NAME=R"),
        Arguments.of("books=0,code", "entry 'code' is not NAME=R"),
        Arguments.of("books=0,books=1", "names domain books twice"),
        Arguments.of("*=0,books=1,*=1", "gives * twice"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void errorsNameTheKeyTheValueAsTypedAndTheRule(String typed, String rule) {
    ConfigException e = assertThrows(ConfigException.class, () -> KeepRates.parse(typed));
    assertEquals(PlanConfig.KEEP_RATE, e.key());
    assertEquals(typed, e.value());
    assertTrue(e.rule().contains(rule), e.rule());
  }

  @Test
  void oneRateReadsAsTheBareNumberSoPlanTextsAndFingerprintsKeepTheirOldForm() {
    assertEquals("0.1", KeepRates.uniform(0.1).toString());
    assertEquals(0.1, KeepRates.uniform(0.1).json());
    PlanConfig c = PlanConfig.builder(Strategy.PER_SOURCE, 10).build();
    assertTrue(c.toString().contains("keepRate=0.1,"), c.toString());
    KeepRates named = KeepRates.parse("code=0,books=0,*=1");
    assertEquals("books=0.0,code=0.0,*=1.0", named.toString());
    Map<String, Double> json = new LinkedHashMap<>();
    json.put("books", 0.0);
    json.put("code", 0.0);
    json.put("*", 1.0);
    assertEquals(json, named.json());
    assertEquals("books=0.0000 code=0.0000 *=1.0000", named.describe());
  }

  @Test
  void roundTripsThroughJsonInsideAPlanConfig() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    for (String typed : List.of("0.1", "books=0,code=0,*=1", "books=0.5")) {
      PlanConfig c =
          PlanConfig.builder(Strategy.GLOBAL, 10).keepRate(KeepRates.parse(typed)).build();
      String json = mapper.writeValueAsString(c);
      assertEquals(c, mapper.readValue(json, PlanConfig.class), json);
    }
    assertTrue(
        mapper
            .writeValueAsString(PlanConfig.builder(Strategy.GLOBAL, 10).build())
            .contains("\"keepRate\":0.1,"));
  }

  @Test
  void ratesPerDomainDoNotGoWithTheCutStrategiesOrATargetLongShare() {
    KeepRates named = KeepRates.parse("books=0,*=1");
    for (Strategy s : List.of(Strategy.CUT_4K, Strategy.CUT_128K)) {
      ConfigException e =
          assertThrows(
              ConfigException.class, () -> PlanConfig.builder(s, 10).keepRate(named).build());
      assertTrue(e.rule().contains("only to the per-source, global and domain"), e.rule());
    }
    ConfigException tau =
        assertThrows(
            ConfigException.class,
            () ->
                PlanConfig.builder(Strategy.GLOBAL, 10)
                    .keepRate(named)
                    .targetLongShare(0.7)
                    .build());
    assertEquals(PlanConfig.KEEP_RATE, tau.key());
    assertTrue(tau.rule().contains("not both"), tau.rule());
    // One rate, however spelled, still goes with both (the cut strategies ignore it, τ replaces
    // it).
    PlanConfig.builder(Strategy.CUT_4K, 10).keepRate(KeepRates.parse("*=0.5")).build();
    PlanConfig.builder(Strategy.GLOBAL, 10).keepRate(0.5).targetLongShare(0.7).build();
    assertFalse(KeepRates.parse("*=0.5").named().containsKey("*"));
  }
}
