package dev.longmix.common.export;

/**
 * Where the documents of an exported file begin, given its sequences (one per span, in row order).
 *
 * <p>A document of the export is a run of consecutive sequences that are consecutive text of one
 * item ({@code doc_id, piece, copy}): a sequence continues the document of the sequence before it
 * when it is the same item and starts at the token where that one stopped ({@code from_token ==
 * previous from_token + previous length}); every other sequence begins a document. Under concat
 * packing that is a row's first span when it carries on the item that ended the row before;
 * best-fit's parts of a long item are in rows that are seldom adjacent, and each of their runs is a
 * document of its own, as is each piece of a document cut by {@code cut-4k}/{@code cut-128k}
 * (pieces are placed apart). A file's first sequence always begins a document, whatever it is. Only
 * a document that begins with its item's first token ({@code piece == 0 && from_token == 0})
 * carries the tokenizer's BOS.
 */
public final class DocumentRuns {
  private boolean any;
  private long docId;
  private int piece;
  private int copy;
  private long end;

  /** Whether this span begins a new document; then it becomes the span before the next one. */
  public boolean begins(long docId, int piece, int copy, int fromToken, int length) {
    boolean continues =
        any
            && fromToken > 0
            && docId == this.docId
            && piece == this.piece
            && copy == this.copy
            && fromToken == end;
    any = true;
    this.docId = docId;
    this.piece = piece;
    this.copy = copy;
    this.end = (long) fromToken + length;
    return !continues;
  }
}
