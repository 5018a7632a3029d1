package dev.longmix.common.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HoldoutRuleTest {
  @ParameterizedTest
  @ValueSource(doubles = {0, 1, -0.1, 1.5, Double.NaN})
  void aFractionOutsideZeroOneIsRefused(double f) {
    ConfigException e = assertThrows(ConfigException.class, () -> new HoldoutRule(1, f));
    assertEquals(HoldoutRule.FRACTION, e.key());
    assertTrue(e.rule().contains("strictly between 0 and 1"));
  }

  @Test
  void holdsOutTheFractionAndALargerFractionASuperset() {
    HoldoutRule small = new HoldoutRule(5, 0.01);
    HoldoutRule large = new HoldoutRule(5, 0.1);
    HoldoutRule otherSeed = new HoldoutRule(6, 0.1);
    int n = 200_000;
    int inSmall = 0;
    int inLarge = 0;
    int both = 0;
    for (long id = 0; id < n; id++) {
      long docId = id * 0x9E3779B97F4A7C15L;
      boolean s = small.holdsOut(docId);
      boolean l = large.holdsOut(docId);
      assertTrue(!s || l, "a smaller fraction's pool is inside a larger one's");
      assertEquals(s, small.holdsOut(docId), "a pure function");
      inSmall += s ? 1 : 0;
      inLarge += l ? 1 : 0;
      both += l && otherSeed.holdsOut(docId) ? 1 : 0;
    }
    // Binomial: 4 standard deviations.
    assertEquals(0.01 * n, inSmall, 4 * Math.sqrt(n * 0.01 * 0.99));
    assertEquals(0.1 * n, inLarge, 4 * Math.sqrt(n * 0.1 * 0.9));
    assertEquals(0.01 * n, both, 4 * Math.sqrt(n * 0.01 * 0.99), "seeds draw independently");
  }
}
