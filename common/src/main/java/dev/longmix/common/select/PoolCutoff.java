package dev.longmix.common.select;

import java.io.Serializable;

/**
 * The exact end of a pool's selection: every item strictly before the cutoff item in selection
 * order is taken whole, the cutoff item keeps its first {@code keepTokens} tokens, later items
 * none.
 *
 * @param pool the pool's name
 * @param budgetTokens the pool's budget
 * @param kind whether the budget ends at an item, before all items, or after all of them
 * @param time the cutoff item's selection time
 * @param docId the cutoff item's document id
 * @param piece the cutoff item's piece
 * @param copy the cutoff item's copy
 * @param keepTokens tokens kept from the start of the cutoff item (1 to its full length)
 * @param shortfallTokens budget minus all candidate tokens when {@code kind} is EVERYTHING, else 0
 */
public record PoolCutoff(
    String pool,
    long budgetTokens,
    Kind kind,
    double time,
    long docId,
    int piece,
    int copy,
    long keepTokens,
    long shortfallTokens)
    implements Serializable {

  /** What the cutoff cuts. */
  public enum Kind {
    /** The budget ends inside or at the end of one item. */
    AT_ITEM,
    /** The budget is 0: nothing is taken. */
    NOTHING,
    /**
     * The candidates hold no more than the budget: everything is taken, with a shortfall if less.
     */
    EVERYTHING
  }

  /** A cutoff that takes nothing. */
  public static PoolCutoff nothing(String pool) {
    return new PoolCutoff(pool, 0, Kind.NOTHING, 0, 0, 0, 0, 0, 0);
  }

  /** A cutoff that takes everything; {@code shortfall} tokens of the budget stay unfilled. */
  public static PoolCutoff everything(String pool, long budget, long shortfall) {
    return new PoolCutoff(pool, budget, Kind.EVERYTHING, 0, 0, 0, 0, 0, shortfall);
  }

  /** How many tokens of {@code item}, from its start, the selection keeps: all, some, or 0. */
  public long takeTokens(TimedItem item) {
    return takeTokens(item.time(), item.docId(), item.piece(), item.copy(), item.tokens());
  }

  /** {@link #takeTokens(TimedItem)} on the item's fields, for callers that hold no record. */
  public long takeTokens(double t, long itemDocId, int itemPiece, int itemCopy, long tokens) {
    switch (kind) {
      case NOTHING:
        return 0;
      case EVERYTHING:
        return tokens;
      default:
        break;
    }
    int c = Double.compare(t, time);
    if (c == 0) {
      c = Long.compare(itemDocId, docId);
    }
    if (c == 0) {
      c = Integer.compare(itemPiece, piece);
    }
    if (c == 0) {
      c = Integer.compare(itemCopy, copy);
    }
    if (c < 0) {
      return tokens;
    }
    return c == 0 ? Math.min(keepTokens, tokens) : 0;
  }

  /** Whether the candidates could not fill the budget (possible only under the repeat policy). */
  public boolean underfilled() {
    return shortfallTokens > 0;
  }
}
