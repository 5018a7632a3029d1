package dev.longmix.common.pack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Builds one row from its {@link RowFragment}s, in any order, checking that they tile the row.
 *
 * <p>Under concatenation a row that the fragments do not fill is the last one: it is padded under
 * {@link TailPolicy#PAD}; under {@link TailPolicy#DROP} the caller must not assemble it (emit only
 * rows below {@link PackingConfig#rows(long)}), and asking to is an error rather than a short row.
 * Under best-fit packing any row may end in padding.
 */
public final class RowAssembler {
  private RowAssembler() {}

  /** The row {@code index} built from {@code fragments}. */
  public static PackedRow assemble(
      long index, Collection<RowFragment> fragments, PackingConfig config) {
    List<RowFragment> sorted = new ArrayList<>(fragments);
    sorted.sort(Comparator.comparingInt(RowFragment::offsetInRow));
    int[] row = new int[config.seqLen()];
    List<Span> spans = new ArrayList<>(sorted.size());
    int fill = 0;
    for (RowFragment f : sorted) {
      if (f.row() != index) {
        throw new IllegalArgumentException(
            "fragment of row " + f.row() + " given for row " + index);
      }
      if (f.offsetInRow() != fill || fill + f.length() > config.seqLen()) {
        throw new IllegalStateException(
            "row " + index + ": fragments do not tile the row at offset " + fill + ": " + f);
      }
      System.arraycopy(f.tokens(), 0, row, fill, f.length());
      spans.add(f.span());
      fill += f.length();
    }
    int pad = config.seqLen() - fill;
    if (pad > 0) {
      if (config.tail() != TailPolicy.PAD && !config.padsRows()) {
        throw new IllegalStateException(
            "row "
                + index
                + " holds "
                + fill
                + " of "
                + config.seqLen()
                + " tokens; under tail = drop the partial last row must not be assembled");
      }
      Arrays.fill(row, fill, config.seqLen(), config.padId());
    }
    return new PackedRow(index, row, spans, pad);
  }
}
