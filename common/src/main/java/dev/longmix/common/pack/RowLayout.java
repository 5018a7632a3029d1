package dev.longmix.common.pack;

/**
 * How the selected tokens became rows: how many, how much padding, what happened to the one partial
 * row an exact budget leaves, and how often an item was cut across rows.
 *
 * @param mode the packing that made the rows
 * @param seqLen tokens per row
 * @param rows rows written
 * @param padTokens pad ids written, over all rows
 * @param tailRow the partial row's index in the output when it was written (padded), else -1
 * @param tailTokens data tokens of the partial row, written or dropped (0 when no row is partial)
 * @param tailDropped whether the partial row was dropped ({@code --tail drop})
 * @param documentsCut items (documents, pieces or copies) whose tokens lie in more than one row
 * @param spans spans written: an item's part in one row each
 */
public record RowLayout(
    PackingMode mode,
    int seqLen,
    long rows,
    long padTokens,
    long tailRow,
    long tailTokens,
    boolean tailDropped,
    long documentsCut,
    long spans)
    implements java.io.Serializable {

  /** The layout of concatenating {@code tokens} tokens under {@code packing}. */
  public static RowLayout concat(
      PackingConfig packing, long tokens, long documentsCut, long spans) {
    long rows = packing.rows(tokens);
    long rem = tokens % packing.seqLen();
    boolean dropped = rem != 0 && packing.tail() == TailPolicy.DROP;
    return new RowLayout(
        PackingMode.CONCAT,
        packing.seqLen(),
        rows,
        packing.padTokens(tokens),
        rem != 0 && !dropped ? rows - 1 : -1,
        rem,
        dropped,
        documentsCut,
        spans);
  }

  /** Selected tokens the dropped partial row did not write. */
  public long droppedTailTokens() {
    return tailDropped ? tailTokens : 0;
  }

  /** Tokens written, padding included. */
  public long outputTokens() {
    return rows * (long) seqLen;
  }

  /** Pad ids as a share of the tokens written. */
  public double padShare() {
    return rows == 0 ? 0 : padTokens / (double) outputTokens();
  }

  /**
   * Pad ids as a share of the tokens written, not counting the partial row: the packing's own
   * padding, which an exact budget's one partial row says nothing about.
   */
  public double padShareWithoutTail() {
    if (tailRow < 0) {
      return padShare();
    }
    long fullRows = rows - 1;
    return fullRows == 0 ? 0 : (padTokens - (seqLen - tailTokens)) / (double) (fullRows * seqLen);
  }

  /** Spans per row on average. */
  public double itemsPerRow() {
    return rows == 0 ? 0 : spans / (double) rows;
  }
}
