package dev.longmix.common.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BucketSchemeTest {
  @Test
  void timeBoundLiesBeyondEveryTimeOfTheBucketsUpToIt() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (double horizon : new double[] {1.0, 3.7, 40.0 / 3, 1e-3}) {
      BucketScheme s = new BucketScheme("p", horizon, 1 << 16);
      for (int i = 0; i < 200_000; i++) {
        double t = rnd.nextDouble() * horizon * 1.01;
        int b = s.bucket(t);
        assertTrue(t < s.timeBound(b), t + " in bucket " + b + " of horizon " + horizon);
        if (b > 0) {
          // a bucket's times also lie below the bound of any later bucket, not of an earlier one
          assertTrue(s.timeBound(b - 1) <= s.timeBound(b));
        }
      }
      assertEquals(Double.POSITIVE_INFINITY, s.timeBound(s.buckets() - 1));
      assertEquals(Double.POSITIVE_INFINITY, s.timeBound(s.buckets()), "the overflow bucket");
    }
  }
}
