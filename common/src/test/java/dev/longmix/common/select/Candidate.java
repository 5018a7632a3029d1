package dev.longmix.common.select;

import dev.longmix.common.plan.LengthClass;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * One copy of one piece of a document, as a candidate for a pool's budget: the selection as a list
 * of objects, a test oracle for the generator's allocation-free {@link CandidateGenerator#times}
 * and for the distributed cutoff passes.
 *
 * @param docId the document's id
 * @param domain the document's domain
 * @param pool the pool whose budget it competes for
 * @param piece the piece index (0 for whole documents and for the first piece)
 * @param copy the copy index, 0 ≤ copy < K
 * @param lengthClass the class of the whole document (long if it has more tokens than the
 *     threshold), also for its pieces
 * @param fromToken where the piece starts in the document's token array
 * @param tokens the piece's length
 * @param time selection time (copy + u)/λ
 * @param orderKey packing-order key from {@link KeyedRandom.Stream#ORDER}
 */
record Candidate(
    long docId,
    String domain,
    String pool,
    int piece,
    int copy,
    LengthClass lengthClass,
    int fromToken,
    int tokens,
    double time,
    long orderKey)
    implements Serializable {

  /**
   * Packing order: by order key, ties by (docId, piece, copy). Random across domains, so no domain
   * fills the end of the output (the authors' issue #15), and independent of which worker finished
   * first.
   */
  public static final Comparator<Candidate> PACKING_ORDER =
      Comparator.comparingLong(Candidate::orderKey)
          .thenComparingLong(Candidate::docId)
          .thenComparingInt(Candidate::piece)
          .thenComparingInt(Candidate::copy);

  /** The fields the cutoff needs. */
  public TimedItem timedItem() {
    return new TimedItem(time, docId, piece, copy, tokens);
  }

  /** All candidates of a document; empty if its domain is not in the plan or its rate is 0. */
  static List<Candidate> all(CandidateGenerator g, long docId, String domain, long nTokens) {
    return all(g, docId, domain, nTokens, Double.POSITIVE_INFINITY);
  }

  /** The candidates of a document with selection time below {@code maxTime}. */
  static List<Candidate> all(
      CandidateGenerator g, long docId, String domain, long nTokens, double maxTime) {
    String pool = g.classPool(domain, nTokens);
    if (pool == null) {
      return List.of();
    }
    LengthClass lengthClass = g.lengthClass(nTokens);
    List<Candidate> out = new ArrayList<>();
    g.times(
        docId,
        domain,
        nTokens,
        maxTime,
        (piece, copy, from, length, time) ->
            out.add(
                new Candidate(
                    docId,
                    domain,
                    pool,
                    piece,
                    copy,
                    lengthClass,
                    from,
                    length,
                    time,
                    g.orderKey(docId, piece, copy))));
    return out;
  }

  /** Per-bucket token sums of {@code items}. */
  static long[] bucketTokens(BucketScheme scheme, Iterable<TimedItem> items) {
    long[] sums = new long[scheme.slots()];
    for (TimedItem item : items) {
      sums[scheme.bucket(item.time())] += item.tokens();
    }
    return sums;
  }

  /** Both cutoff passes over items held in memory: the oracle of the distributed ones. */
  static PoolCutoff cutoff(BucketScheme scheme, long budget, Collection<TimedItem> items) {
    Crossing crossing = CutoffFinder.crossing(bucketTokens(scheme, items), budget);
    List<TimedItem> inBucket = new ArrayList<>();
    for (TimedItem item : items) {
      if (scheme.bucket(item.time()) == crossing.bucket()) {
        inBucket.add(item);
      }
    }
    return CutoffFinder.cutoff(scheme.pool(), crossing, inBucket);
  }
}
