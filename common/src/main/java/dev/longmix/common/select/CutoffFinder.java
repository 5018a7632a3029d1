package dev.longmix.common.select;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Finds a pool's exact cutoff in two distributable passes.
 *
 * <p>Pass 1 (cluster): sum candidate tokens per bucket of {@link BucketScheme}; {@link #crossing}
 * finds the bucket in which the running sum reaches the budget. Pass 2 (cluster): collect only the
 * items of that bucket; {@link #cutoff} sorts them in selection order and returns the item at which
 * the budget ends and how many of its tokens to keep. The result depends only on the set of items,
 * never on their order or partitioning, and the kept tokens sum to the budget exactly.
 *
 * <p>Items must have distinct (docId, piece, copy) keys: document ids are unique within a pool, or
 * two items could tie completely and both be taken whole.
 */
public final class CutoffFinder {
  private CutoffFinder() {}

  /** The bucket in which the running sum of {@code bucketTokens} first reaches {@code budget}. */
  public static Crossing crossing(long[] bucketTokens, long budget) {
    if (budget < 0) {
      throw new IllegalArgumentException("budget must be >= 0, got " + budget);
    }
    long total = 0;
    for (long t : bucketTokens) {
      total += t;
    }
    if (budget == 0 || total < budget) {
      return new Crossing(-1, budget == 0 ? 0 : total, total, budget);
    }
    long before = 0;
    for (int b = 0; b < bucketTokens.length; b++) {
      if (before + bucketTokens[b] >= budget) {
        return new Crossing(b, before, total, budget);
      }
      before += bucketTokens[b];
    }
    throw new IllegalStateException("unreachable: total " + total + " >= budget " + budget);
  }

  /**
   * The exact cutoff, given the items of the crossing bucket (any order; all of them, and only
   * them).
   */
  public static PoolCutoff cutoff(String pool, Crossing crossing, Collection<TimedItem> bucket) {
    if (crossing.budgetTokens() == 0) {
      return PoolCutoff.nothing(pool);
    }
    if (crossing.bucket() < 0) {
      return PoolCutoff.everything(pool, crossing.budgetTokens(), crossing.shortfallTokens());
    }
    List<TimedItem> sorted = new ArrayList<>(bucket);
    sorted.sort(TimedItem.SELECTION_ORDER);
    long need = crossing.tokensNeeded();
    long taken = 0;
    for (TimedItem item : sorted) {
      if (taken + item.tokens() >= need && item.tokens() > 0) {
        return new PoolCutoff(
            pool,
            crossing.budgetTokens(),
            PoolCutoff.Kind.AT_ITEM,
            item.time(),
            item.docId(),
            item.piece(),
            item.copy(),
            need - taken,
            0);
      }
      taken += item.tokens();
    }
    throw new IllegalArgumentException(
        "pool "
            + pool
            + ": the crossing bucket's items hold "
            + taken
            + " tokens but "
            + need
            + " are needed; pass all items of bucket "
            + crossing.bucket());
  }
}
