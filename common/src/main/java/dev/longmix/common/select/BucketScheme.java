package dev.longmix.common.select;

import dev.longmix.common.plan.PoolPlan;
import java.io.Serializable;

/**
 * Maps selection times of one pool to fine buckets so a cluster can sum tokens per (pool, bucket)
 * and the driver can find the one bucket the budget ends in.
 *
 * <p>Buckets split [0, horizon) evenly; times at or beyond the horizon go to the overflow bucket
 * {@code buckets}. The mapping is monotone in t, so bucket order agrees with selection order. With
 * the default horizon K/λ_min every candidate time lies below it, and the overflow bucket stays
 * empty.
 *
 * @param pool the pool's name
 * @param horizon the end of the bucketed range of times
 * @param buckets the number of regular buckets
 */
public record BucketScheme(String pool, double horizon, int buckets) implements Serializable {

  /** Default number of buckets: fine enough that one bucket's items fit on the driver. */
  public static final int BUCKETS_DEFAULT = 1 << 16;

  public BucketScheme {
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
    }
    if (!(horizon >= 0) || Double.isInfinite(horizon)) {
      throw new IllegalArgumentException("horizon must be finite and >= 0, got " + horizon);
    }
  }

  /** The scheme covering every candidate time of {@code pool}: horizon K/λ_min. */
  public static BucketScheme covering(PoolPlan pool, int maxCopies, int buckets) {
    return new BucketScheme(pool.pool(), pool.horizon(maxCopies), buckets);
  }

  /** Size of the array of per-bucket sums, overflow included. */
  public int slots() {
    return buckets + 1;
  }

  /** The bucket of time {@code t}; {@link #buckets()} for the overflow bucket. */
  public int bucket(double t) {
    if (!(t < horizon)) {
      return buckets;
    }
    // Multiplying by a positive constant and flooring are both monotone, so bucket order is t
    // order.
    int b = (int) Math.floor(t * (buckets / horizon));
    return Math.min(Math.max(b, 0), buckets - 1);
  }

  /**
   * A time beyond every time in buckets up to {@code bucket}: a scan for those buckets' items can
   * stop a piece's copies there. It lies a bucket past the edge, so rounding in {@link #bucket}
   * never puts an earlier time beyond it; infinite for the last regular bucket and the overflow.
   */
  public double timeBound(int bucket) {
    return bucket >= buckets - 1 ? Double.POSITIVE_INFINITY : (bucket + 2) * (horizon / buckets);
  }
}
