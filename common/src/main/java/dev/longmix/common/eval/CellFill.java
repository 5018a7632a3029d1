package dev.longmix.common.eval;

import dev.longmix.common.select.KeyedRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How one validation cell (a domain × length class) is filled from the eval pool: its documents in
 * keyed random order, each taken whole when it fits in what is left of the cell's token budget and
 * passed over when it does not, until the budget is reached or the pool is exhausted. A document
 * longer than the stage's maximum counts as cut to it. The cell never holds more than its budget,
 * and a pool that cannot fill it leaves it with what the pool has.
 */
public final class CellFill {
  private CellFill() {}

  /**
   * A pool document as the fill sees it.
   *
   * @param docId the document
   * @param nTokens its length as tokenized
   */
  public record Candidate(long docId, int nTokens) {}

  /**
   * A document the cell takes.
   *
   * @param docId the document
   * @param nTokens its length as tokenized
   * @param tokens what the cell holds of it: {@code min(nTokens, maxDocTokens)}
   * @param cut whether it was cut to {@code maxDocTokens}
   * @param orderKey its place in the keyed order
   */
  public record Taken(long docId, int nTokens, int tokens, boolean cut, long orderKey) {}

  /** The order key of a document under {@code seed}: where it comes in a cell or the haystack. */
  public static long orderKey(long seed, long docId) {
    return KeyedRandom.hash(seed, KeyedRandom.Stream.EVAL, docId, 0, 0);
  }

  /** {@code pool} sorted into keyed order (ties, which need equal hashes, by doc id). */
  public static <T> List<T> inKeyedOrder(
      long seed, List<T> pool, java.util.function.ToLongFunction<T> docId) {
    List<T> sorted = new ArrayList<>(pool);
    sorted.sort(
        Comparator.<T>comparingLong(c -> orderKey(seed, docId.applyAsLong(c)))
            .thenComparingLong(docId));
    return sorted;
  }

  /** The documents of {@code pool} the cell takes, in keyed order. */
  public static List<Taken> fill(long seed, List<Candidate> pool, long budget, int maxDocTokens) {
    if (budget < 0 || maxDocTokens < 1) {
      throw new IllegalArgumentException(
          "budget must be >= 0 and maxDocTokens >= 1, got " + budget + ", " + maxDocTokens);
    }
    List<Taken> out = new ArrayList<>();
    long left = budget;
    for (Candidate c : inKeyedOrder(seed, pool, Candidate::docId)) {
      if (left == 0) {
        break;
      }
      int tokens = Math.min(c.nTokens(), maxDocTokens);
      if (tokens <= left) {
        out.add(
            new Taken(
                c.docId(), c.nTokens(), tokens, tokens < c.nTokens(), orderKey(seed, c.docId())));
        left -= tokens;
      }
    }
    return out;
  }
}
