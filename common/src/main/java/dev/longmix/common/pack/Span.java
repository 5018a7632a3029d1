package dev.longmix.common.pack;

import java.io.Serializable;

/**
 * A contiguous run of one item's tokens inside a packed row.
 *
 * <p>Continuation semantics: {@link #continuation()} is true when the span does not start its item,
 * i.e. the item began in an earlier row ({@code fromToken > 0}); it carries no BOS. A cut piece
 * with {@code piece > 0} is a new item, so its first span is not a continuation, but it too has no
 * BOS because only piece 0 of a document does: {@link #startsDocument()} combines both. A trainer
 * that masks attention at document boundaries starts a new segment at every span with {@code
 * continuation() == false}, or only where {@link #startsDocument()}, as it prefers.
 *
 * @param start offset in the row
 * @param length tokens in the span
 * @param domain the document's domain
 * @param docId the document's id
 * @param piece the piece index in the document
 * @param copy the copy index
 * @param fromToken offset of the span's first token inside its item
 */
public record Span(
    int start, int length, String domain, long docId, int piece, int copy, int fromToken)
    implements Serializable {

  /** Whether the span continues an item begun in an earlier row. */
  public boolean continuation() {
    return fromToken > 0;
  }

  /** Whether the span begins a document (piece 0, from its first token): only these carry BOS. */
  public boolean startsDocument() {
    return piece == 0 && fromToken == 0;
  }

  /** Offset in the row just past the span. */
  public int end() {
    return start + length;
  }
}
