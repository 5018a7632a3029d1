package dev.longmix.common.select;

import dev.longmix.common.plan.LengthClass;
import java.io.Serializable;
import java.util.Comparator;

/**
 * One copy of one piece of a document, as a candidate for a pool's budget.
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
public record Candidate(
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
}
