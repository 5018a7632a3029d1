package dev.longmix.common.eval;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.select.KeyedRandom;
import java.io.Serializable;

/**
 * Which documents of a corpus are held out of training as its eval pool: those whose keyed draw
 * u(seed, doc id) falls below the fraction. A pure function of (seed, doc id), so the pool is the
 * same whatever the partitioning, and a larger fraction holds out a superset.
 *
 * @param seed the holdout's seed
 * @param fraction the share of documents held out, in (0, 1)
 */
public record HoldoutRule(long seed, double fraction) implements Serializable {
  public static final String FRACTION = "holdout-fraction";
  public static final String SEED = "holdout-seed";

  public HoldoutRule {
    if (!(fraction > 0 && fraction < 1)) {
      throw ConfigException.invalid(
          FRACTION, fraction, "must be a number strictly between 0 and 1");
    }
  }

  /** Whether document {@code docId} is held out. */
  public boolean holdsOut(long docId) {
    return KeyedRandom.uniform(seed, KeyedRandom.Stream.HOLDOUT, docId, 0, 0) < fraction;
  }

  /** The rule in words, for manifests. */
  public String describe() {
    return "document held out when KeyedRandom.uniform(seed="
        + seed
        + ", stream=HOLDOUT, doc_id, 0, 0) < "
        + fraction;
  }
}
