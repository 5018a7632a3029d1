package dev.longmix.common.pack;

/** What happens to the last row when the tokens do not fill it. */
public enum TailPolicy {
  /** Drop the partial row, as the authors' code did; the dropped tokens are counted. */
  DROP,
  /** Fill the partial row with the pad id; the pad tokens are counted. */
  PAD
}
