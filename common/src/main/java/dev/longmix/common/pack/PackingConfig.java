package dev.longmix.common.pack;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.plan.Plan;
import java.io.Serializable;

/**
 * Row length and tail handling for packing.
 *
 * @param seqLen tokens per row
 * @param tail what to do with a final partial row
 * @param padId the token id of padding: the partial last row under {@link TailPolicy#PAD}, and
 *     every row's unused tail under {@link PackingMode#BEST_FIT}
 * @param mode how items become rows
 */
public record PackingConfig(int seqLen, TailPolicy tail, int padId, PackingMode mode)
    implements Serializable {
  public static final String SEQ_LEN = "seq-len";
  public static final int SEQ_LEN_DEFAULT = (int) Plan.ROW_TOKENS_DEFAULT;
  public static final String TAIL = "tail";
  public static final TailPolicy TAIL_DEFAULT = TailPolicy.DROP;
  public static final String PAD_ID = "pad-id";
  public static final int PAD_ID_DEFAULT = 0;

  public static final PackingMode MODE_DEFAULT = PackingMode.CONCAT;

  /** The paper's concatenating packing. */
  public PackingConfig(int seqLen, TailPolicy tail, int padId) {
    this(seqLen, tail, padId, MODE_DEFAULT);
  }

  public PackingConfig {
    if (seqLen <= 0) {
      throw ConfigException.invalid(SEQ_LEN, seqLen, "must be a positive integer");
    }
    if (tail == null) {
      throw ConfigException.invalid(TAIL, null, "is required (drop or pad)");
    }
    if (mode == null) {
      throw ConfigException.invalid(PackingMode.KEY, null, "is required (concat or best-fit)");
    }
    if (padId < 0) {
      throw ConfigException.invalid(PAD_ID, padId, "must be a token id >= 0");
    }
  }

  /** 81,920-token rows, partial tail dropped. */
  public static PackingConfig defaults() {
    return new PackingConfig(SEQ_LEN_DEFAULT, TAIL_DEFAULT, PAD_ID_DEFAULT);
  }

  /** Whether rows other than the last may hold padding. */
  public boolean padsRows() {
    return mode == PackingMode.BEST_FIT;
  }

  /** Rows written for {@code totalTokens} input tokens, packed by concatenation. */
  public long rows(long totalTokens) {
    long full = totalTokens / seqLen;
    return tail == TailPolicy.PAD && totalTokens % seqLen != 0 ? full + 1 : full;
  }

  /** Input tokens the dropped tail loses (0 under PAD). */
  public long droppedTokens(long totalTokens) {
    return tail == TailPolicy.DROP ? totalTokens % seqLen : 0;
  }

  /** Pad tokens added to the tail (0 under DROP). */
  public long padTokens(long totalTokens) {
    long rem = totalTokens % seqLen;
    return tail == TailPolicy.PAD && rem != 0 ? seqLen - rem : 0;
  }
}
