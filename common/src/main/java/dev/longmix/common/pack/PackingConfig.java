package dev.longmix.common.pack;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.plan.Plan;
import java.io.Serializable;

/**
 * Row length and tail handling for packing.
 *
 * @param seqLen tokens per row
 * @param tail what to do with a final partial row
 * @param padId the token id used for padding under {@link TailPolicy#PAD}
 */
public record PackingConfig(int seqLen, TailPolicy tail, int padId) implements Serializable {
  public static final String SEQ_LEN = "seq-len";
  public static final int SEQ_LEN_DEFAULT = (int) Plan.ROW_TOKENS_DEFAULT;
  public static final String TAIL = "tail";
  public static final TailPolicy TAIL_DEFAULT = TailPolicy.DROP;
  public static final String PAD_ID = "pad-id";
  public static final int PAD_ID_DEFAULT = 0;

  public PackingConfig {
    if (seqLen <= 0) {
      throw ConfigException.invalid(SEQ_LEN, seqLen, "must be a positive integer");
    }
    if (tail == null) {
      throw ConfigException.invalid(TAIL, null, "is required (drop or pad)");
    }
    if (padId < 0) {
      throw ConfigException.invalid(PAD_ID, padId, "must be a token id >= 0");
    }
  }

  /** 81,920-token rows, partial tail dropped. */
  public static PackingConfig defaults() {
    return new PackingConfig(SEQ_LEN_DEFAULT, TAIL_DEFAULT, PAD_ID_DEFAULT);
  }

  /** Rows written for {@code totalTokens} input tokens. */
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
