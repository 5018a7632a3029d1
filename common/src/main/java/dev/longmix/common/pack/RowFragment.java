package dev.longmix.common.pack;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The part of one item that lands in one row, placed by the item's global start offset.
 *
 * <p>This is how packing runs distributed: with each item's global start (a prefix sum of item
 * lengths in packing order), every item splits independently into fragments keyed by row, and
 * {@link RowAssembler} builds each row from its fragments.
 *
 * @param row the row index
 * @param offsetInRow where the fragment starts in the row
 * @param docId the document's id
 * @param domain the document's domain
 * @param piece the piece index
 * @param copy the copy index
 * @param fromToken offset of the fragment's first token inside its item
 * @param tokens the fragment's token ids (a copy, exactly its length)
 */
@SuppressWarnings("ArrayRecordComponent") // a carrier for shuffles; never compared by value
public record RowFragment(
    long row,
    int offsetInRow,
    long docId,
    String domain,
    int piece,
    int copy,
    int fromToken,
    int[] tokens)
    implements Serializable {

  /** Tokens in the fragment. */
  public int length() {
    return tokens.length;
  }

  /** Whether the fragment continues an item begun in an earlier row. */
  public boolean continuation() {
    return fromToken > 0;
  }

  /** The span this fragment occupies in its row. */
  public Span span() {
    return new Span(offsetInRow, tokens.length, domain, docId, piece, copy, fromToken);
  }

  /**
   * Splits {@code item}, which starts at global token offset {@code globalStart}, into one fragment
   * per row it touches.
   */
  public static List<RowFragment> split(PackItem item, long globalStart, int seqLen) {
    return split(item, globalStart, seqLen, 0);
  }

  /**
   * {@link #split} of an item that is itself a part of a longer one, starting {@code firstToken}
   * tokens into it (best-fit packing cuts items longer than a row into row-sized parts): the
   * fragments' {@code fromToken} count from the start of the whole item.
   */
  public static List<RowFragment> split(
      PackItem item, long globalStart, int seqLen, int firstToken) {
    if (globalStart < 0 || seqLen <= 0 || firstToken < 0) {
      throw new IllegalArgumentException(
          "need globalStart >= 0, seqLen > 0 and firstToken >= 0, got "
              + globalStart
              + ", "
              + seqLen
              + ", "
              + firstToken);
    }
    List<RowFragment> out = new ArrayList<>();
    int done = 0;
    while (done < item.length()) {
      long at = globalStart + done;
      long row = at / seqLen;
      int offset = (int) (at % seqLen);
      int take = Math.min(item.length() - done, seqLen - offset);
      int from = item.offset() + done;
      out.add(
          new RowFragment(
              row,
              offset,
              item.docId(),
              item.domain(),
              item.piece(),
              item.copy(),
              firstToken + done,
              Arrays.copyOfRange(item.tokens(), from, from + take)));
      done += take;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowFragment f
        && row == f.row
        && offsetInRow == f.offsetInRow
        && docId == f.docId
        && piece == f.piece
        && copy == f.copy
        && fromToken == f.fromToken
        && domain.equals(f.domain)
        && Arrays.equals(tokens, f.tokens);
  }

  @Override
  public int hashCode() {
    return Objects.hash(row, offsetInRow, docId, piece, copy, fromToken);
  }

  @Override
  public String toString() {
    return "RowFragment[row="
        + row
        + " at "
        + offsetInRow
        + " doc="
        + docId
        + " piece="
        + piece
        + " copy="
        + copy
        + " from="
        + fromToken
        + " length="
        + tokens.length
        + "]";
  }
}
