package dev.longmix.common.pack;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One output row: exactly {@code seqLen} token ids, the spans that tile its non-pad prefix from
 * offset 0, and the number of pad ids at its end (non-zero only for a padded last row).
 *
 * @param index the row's index in the output, from 0
 * @param tokens the token ids
 * @param spans the spans, in row order, contiguous from 0
 * @param padTokens pad ids at the end of the row
 */
public record PackedRow(long index, int[] tokens, List<Span> spans, int padTokens) {

  public PackedRow {
    spans = List.copyOf(spans);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackedRow r
        && index == r.index
        && padTokens == r.padTokens
        && Arrays.equals(tokens, r.tokens)
        && spans.equals(r.spans);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, padTokens, Arrays.hashCode(tokens), spans);
  }

  @Override
  public String toString() {
    return "PackedRow["
        + index
        + ", "
        + tokens.length
        + " tokens, "
        + spans.size()
        + " spans, pad "
        + padTokens
        + "]";
  }
}
