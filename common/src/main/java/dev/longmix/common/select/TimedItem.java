package dev.longmix.common.select;

import java.io.Serializable;
import java.util.Comparator;

/**
 * The fields of a candidate that decide whether it is selected: its selection time, its identity
 * (which breaks ties) and its length.
 *
 * @param time the selection time t = (copy + u)/λ
 * @param docId the document's id
 * @param piece the piece index inside the document (0 for whole documents)
 * @param copy the copy index, 0 ≤ copy < K
 * @param tokens the piece's length in tokens
 */
public record TimedItem(double time, long docId, int piece, int copy, long tokens)
    implements Serializable {

  /** Selection order: by time, then (docId, piece, copy) so equal times still give one order. */
  public static final Comparator<TimedItem> SELECTION_ORDER =
      Comparator.comparingDouble(TimedItem::time)
          .thenComparingLong(TimedItem::docId)
          .thenComparingInt(TimedItem::piece)
          .thenComparingInt(TimedItem::copy);
}
