package dev.longmix.common.plan;

/** Whether an item comes from a document longer than the long threshold. */
public enum LengthClass {
  LONG,
  SHORT;

  /**
   * The class of a document with {@code nTokens} tokens: long means strictly more than threshold.
   */
  public static LengthClass of(long nTokens, long longThreshold) {
    return nTokens > longThreshold ? LONG : SHORT;
  }
}
