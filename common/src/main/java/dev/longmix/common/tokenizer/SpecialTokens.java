package dev.longmix.common.tokenizer;

import java.util.Locale;

/** Which control tokens frame each document. */
public enum SpecialTokens {
  /** Whatever the tokenizer's own post-processor adds (LLaMA-2: {@code <s>} first, no EOS). */
  POST_PROCESSOR,
  /** Nothing: ids of the text only. */
  NONE,
  /** The BOS token first, nothing after. */
  BOS,
  /** The EOS token last, nothing before. */
  EOS,
  /** BOS first and EOS last (ProLong-style). */
  BOS_EOS;

  public static final String KEY = "special-tokens";

  /** The command-line spelling, e.g. {@code post-processor} or {@code bos-eos}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static SpecialTokens parse(String s) {
    for (SpecialTokens v : values()) {
      if (v.cliName().equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException(s);
  }
}
