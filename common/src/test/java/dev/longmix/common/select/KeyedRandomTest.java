package dev.longmix.common.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyedRandomTest {

  @Test
  void isAPureFunctionOfTheKey() {
    assertEquals(
        KeyedRandom.hash(7, KeyedRandom.Stream.SELECT, 123, 4, 1),
        KeyedRandom.hash(7, KeyedRandom.Stream.SELECT, 123, 4, 1));
    long base = KeyedRandom.hash(7, KeyedRandom.Stream.SELECT, 123, 4, 1);
    assertNotEquals(base, KeyedRandom.hash(8, KeyedRandom.Stream.SELECT, 123, 4, 1));
    assertNotEquals(base, KeyedRandom.hash(7, KeyedRandom.Stream.ORDER, 123, 4, 1));
    assertNotEquals(base, KeyedRandom.hash(7, KeyedRandom.Stream.SELECT, 124, 4, 1));
    assertNotEquals(base, KeyedRandom.hash(7, KeyedRandom.Stream.SELECT, 123, 5, 1));
    assertNotEquals(base, KeyedRandom.hash(7, KeyedRandom.Stream.SELECT, 123, 4, 2));
    // Swapping fields must not collide: (piece, copy) = (1, 2) vs (2, 1).
    assertNotEquals(
        KeyedRandom.hash(7, KeyedRandom.Stream.SELECT, 9, 1, 2),
        KeyedRandom.hash(7, KeyedRandom.Stream.SELECT, 9, 2, 1));
  }

  @Test
  void uniformIsInUnitIntervalAndEvenOverConsecutiveIds() {
    int n = 200_000;
    int[] counts = new int[10];
    double sum = 0;
    for (long id = 0; id < n; id++) {
      double u = KeyedRandom.uniform(42, KeyedRandom.Stream.SELECT, id, 0, 0);
      assertTrue(u >= 0 && u < 1);
      counts[(int) (u * 10)]++;
      sum += u;
    }
    assertEquals(0.5, sum / n, 0.005);
    for (int c : counts) {
      assertEquals(n / 10.0, c, n / 10.0 * 0.03);
    }
  }

  @Test
  void selectAndOrderStreamsAreUncorrelated() {
    int n = 100_000;
    double sxy = 0;
    for (long id = 0; id < n; id++) {
      double x = KeyedRandom.uniform(1, KeyedRandom.Stream.SELECT, id, 0, 0) - 0.5;
      double y = KeyedRandom.uniform(1, KeyedRandom.Stream.ORDER, id, 0, 0) - 0.5;
      sxy += x * y;
    }
    // Correlation of two independent uniforms: sd ≈ 1/sqrt(n) ≈ 0.003.
    assertEquals(0, sxy / n * 12, 0.015);
  }
}
