package dev.longmix.common.pack;

import dev.longmix.common.histogram.LengthBins;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a set of selected items adds up to: items, tokens, long-document tokens, repetition, and
 * tokens per domain and per Fig. 2 bin of the item's document. Mergeable in any order (every field
 * is a sum or a maximum), so each partition tallies its own items and the driver merges them.
 */
public final class PackTally implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final LengthBins FIG2 = LengthBins.fig2();

  private long items;
  private long tokens;
  private long longTokens;
  private long repeatedItems;
  private long repeatedTokens;
  private int maxCopy;
  private long maxItemTokens;
  private double sumSquares;
  private final TreeMap<String, Long> domainTokens = new TreeMap<>();
  private final TreeMap<String, Long> domainLongTokens = new TreeMap<>();
  private final long[] binTokens = new long[FIG2.count()];

  /**
   * Counts one selected item.
   *
   * @param domain its document's domain
   * @param copy its copy index (above 0: a repetition)
   * @param itemTokens the tokens it contributes
   * @param docTokens its whole document's tokens, which decide its Fig. 2 bin
   * @param isLong whether its document is long
   */
  public void add(String domain, int copy, long itemTokens, long docTokens, boolean isLong) {
    items++;
    tokens += itemTokens;
    maxItemTokens = Math.max(maxItemTokens, itemTokens);
    sumSquares += (double) itemTokens * itemTokens;
    if (isLong) {
      longTokens += itemTokens;
      domainLongTokens.merge(domain, itemTokens, Long::sum);
    }
    if (copy > 0) {
      repeatedItems++;
      repeatedTokens += itemTokens;
    }
    maxCopy = Math.max(maxCopy, copy);
    domainTokens.merge(domain, itemTokens, Long::sum);
    binTokens[FIG2.binOf(docTokens)] += itemTokens;
  }

  /** Adds {@code o} into this tally and returns this. */
  public PackTally merge(PackTally o) {
    items += o.items;
    tokens += o.tokens;
    longTokens += o.longTokens;
    repeatedItems += o.repeatedItems;
    repeatedTokens += o.repeatedTokens;
    maxCopy = Math.max(maxCopy, o.maxCopy);
    maxItemTokens = Math.max(maxItemTokens, o.maxItemTokens);
    sumSquares += o.sumSquares;
    o.domainTokens.forEach((d, t) -> domainTokens.merge(d, t, Long::sum));
    o.domainLongTokens.forEach((d, t) -> domainLongTokens.merge(d, t, Long::sum));
    for (int i = 0; i < binTokens.length; i++) {
      binTokens[i] += o.binTokens[i];
    }
    return this;
  }

  public long items() {
    return items;
  }

  public long tokens() {
    return tokens;
  }

  public long longTokens() {
    return longTokens;
  }

  public long repeatedItems() {
    return repeatedItems;
  }

  public long repeatedTokens() {
    return repeatedTokens;
  }

  /** The highest copy index among the items (0 when nothing repeats). */
  public int maxCopy() {
    return maxCopy;
  }

  public long maxItemTokens() {
    return maxItemTokens;
  }

  /** Σ tokens² over the items: how lumpy the selection is (see {@link PackOutcome}). */
  public double sumSquares() {
    return sumSquares;
  }

  /** Tokens per domain, by name. */
  public Map<String, Long> domainTokens() {
    return Collections.unmodifiableMap(domainTokens);
  }

  /** Long-document tokens per domain, by name. */
  public Map<String, Long> domainLongTokens() {
    return Collections.unmodifiableMap(domainLongTokens);
  }

  /** Tokens per Fig. 2 bin of the items' documents. */
  public long[] binTokens() {
    return Arrays.copyOf(binTokens, binTokens.length);
  }
}
