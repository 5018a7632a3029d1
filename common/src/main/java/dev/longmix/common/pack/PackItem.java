package dev.longmix.common.pack;

import java.util.Arrays;
import java.util.Objects;

/**
 * One selected item in packing order: a slice of token ids plus where it came from.
 *
 * <p>The slice is not copied: items point into the document's token array so a book of millions of
 * tokens is held once.
 *
 * @param docId the document's id
 * @param domain the document's domain
 * @param piece the piece index; a piece above 0 of a cut document starts without BOS
 * @param copy the copy index
 * @param tokens the array the slice lives in
 * @param offset where the slice starts in {@code tokens}
 * @param length the slice's length (a cutoff item keeps only its first tokens)
 */
public record PackItem(
    long docId, String domain, int piece, int copy, int[] tokens, int offset, int length) {

  public PackItem {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(domain, "domain");
    if (offset < 0 || length < 0 || offset > tokens.length - length) {
      throw new IllegalArgumentException(
          "slice [" + offset + ", +" + length + ") outside " + tokens.length + " tokens");
    }
  }

  /** An item holding all of {@code tokens}. */
  public static PackItem of(long docId, String domain, int piece, int copy, int[] tokens) {
    return new PackItem(docId, domain, piece, copy, tokens, 0, tokens.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackItem p
        && docId == p.docId
        && piece == p.piece
        && copy == p.copy
        && domain.equals(p.domain)
        && Arrays.equals(tokens, offset, offset + length, p.tokens, p.offset, p.offset + p.length);
  }

  @Override
  public int hashCode() {
    return Objects.hash(docId, domain, piece, copy, length);
  }

  @Override
  public String toString() {
    return "PackItem[doc="
        + docId
        + " "
        + domain
        + " piece="
        + piece
        + " copy="
        + copy
        + " length="
        + length
        + "]";
  }
}
