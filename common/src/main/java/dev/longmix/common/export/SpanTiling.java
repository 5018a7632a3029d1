package dev.longmix.common.export;

/**
 * The contract every packed row keeps (docs/output-format.md), checked before any of its tokens is
 * exported: {@code seqLen} ids, {@code nTokens + padTokens == seqLen} with {@code nTokens > 0},
 * spans that tile {@code [0, nTokens)} from 0 with positive lengths, and {@code continuation}
 * exactly where {@code fromToken > 0}. A row that breaks it is an error naming the row: exporting
 * it would write tokens whose sequence and document boundaries are wrong.
 */
public final class SpanTiling {
  private SpanTiling() {}

  /** A packed row that breaks the contract; the message names the row and what is wrong. */
  public static final class BrokenRowException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public BrokenRowException(long row, String what) {
      super("packed row " + row + ": " + what);
    }
  }

  /**
   * Checks one row's counts and spans (span {@code i} is {@code starts[i], lengths[i],
   * fromTokens[i], continuations[i]}).
   *
   * @throws BrokenRowException naming {@code row} when the row breaks the contract
   */
  public static void check(
      long row,
      int seqLen,
      int ids,
      int nTokens,
      int padTokens,
      int[] starts,
      int[] lengths,
      int[] fromTokens,
      boolean[] continuations) {
    if (ids != seqLen) {
      throw new BrokenRowException(row, ids + " ids, but the output's seq_len is " + seqLen);
    }
    if (nTokens <= 0 || padTokens < 0 || (long) nTokens + padTokens != seqLen) {
      throw new BrokenRowException(
          row,
          "n_tokens "
              + nTokens
              + " + pad_tokens "
              + padTokens
              + " must be seq_len "
              + seqLen
              + ", with n_tokens > 0");
    }
    int at = 0;
    for (int i = 0; i < starts.length; i++) {
      if (starts[i] != at || lengths[i] <= 0 || (long) starts[i] + lengths[i] > nTokens) {
        throw new BrokenRowException(
            row,
            "its spans do not tile it: span "
                + i
                + " covers ["
                + starts[i]
                + ", "
                + ((long) starts[i] + lengths[i])
                + "), expected a positive length from "
                + at
                + " within n_tokens "
                + nTokens);
      }
      if (fromTokens[i] < 0 || continuations[i] != (fromTokens[i] > 0)) {
        throw new BrokenRowException(
            row,
            "span "
                + i
                + " has from_token "
                + fromTokens[i]
                + " and continuation "
                + continuations[i]
                + " (continuation must be from_token > 0)");
      }
      at += lengths[i];
    }
    if (at != nTokens) {
      throw new BrokenRowException(
          row, "its spans do not tile it: they cover [0, " + at + "), n_tokens is " + nTokens);
    }
  }
}
