package dev.longmix.common.histogram;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Token-count bins defined by strictly increasing inclusive upper edges plus one overflow bin.
 *
 * <p>Bin {@code i} holds lengths in {@code (edge[i-1], edge[i]]} (bin 0 starts at 0); lengths above
 * the last edge go to the overflow bin {@code edges().length}. Upper edges are inclusive so that
 * the bin boundaries agree with the recipe's "long means more than 4,096 tokens": a 4,096-token
 * document lands in "2K-4K", a 4,097-token one in "4K-8K".
 */
public final class LengthBins implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Edges of the paper's Fig. 2 bins: 0-1K, 1K-2K, ..., 64K-128K, and >128K as overflow. */
  private static final long[] FIG2_EDGES = {
    1L << 10, 1L << 11, 1L << 12, 1L << 13, 1L << 14, 1L << 15, 1L << 16, 1L << 17
  };

  private final long[] edges;

  private LengthBins(long[] edges) {
    if (edges.length == 0) {
      throw new IllegalArgumentException("length bins need at least one edge");
    }
    for (int i = 0; i < edges.length; i++) {
      if (edges[i] <= 0 || (i > 0 && edges[i] <= edges[i - 1])) {
        throw new IllegalArgumentException(
            "length bin edges must be positive and strictly increasing: " + Arrays.toString(edges));
      }
    }
    this.edges = edges.clone();
  }

  /** The paper's Fig. 2 bins (K = 1024). */
  public static LengthBins fig2() {
    return new LengthBins(FIG2_EDGES);
  }

  /**
   * Log-spaced bins with {@code perOctave} edges per doubling from 1 up to {@code 2^maxLog2}, plus
   * overflow; edges are rounded to integers and duplicates among the small ones are dropped.
   */
  public static LengthBins logSpaced(int perOctave, int maxLog2) {
    if (perOctave < 1 || maxLog2 < 1 || maxLog2 > 40) {
      throw new IllegalArgumentException(
          "log-spaced bins need perOctave >= 1 and 1 <= maxLog2 <= 40, got "
              + perOctave
              + ", "
              + maxLog2);
    }
    List<Long> out = new ArrayList<>();
    for (int j = 0; j <= perOctave * maxLog2; j++) {
      long edge = Math.round(Math.pow(2.0, (double) j / perOctave));
      if (out.isEmpty() || edge > out.get(out.size() - 1)) {
        out.add(edge);
      }
    }
    return new LengthBins(out.stream().mapToLong(Long::longValue).toArray());
  }

  /** Bins with the given inclusive upper edges (as written to JSON by {@link #edges()}). */
  public static LengthBins ofEdges(long[] edges) {
    return new LengthBins(edges);
  }

  /** The inclusive upper edges; a copy. */
  public long[] edges() {
    return edges.clone();
  }

  /** Number of bins including the overflow bin. */
  public int count() {
    return edges.length + 1;
  }

  /** The bin of a document with {@code nTokens} tokens. */
  public int binOf(long nTokens) {
    if (nTokens < 0) {
      throw new IllegalArgumentException("token count must be >= 0, got " + nTokens);
    }
    int i = Arrays.binarySearch(edges, nTokens);
    // An exact hit is the inclusive upper edge of bin i; a miss lands before the insertion point.
    return i >= 0 ? i : -i - 1;
  }

  /** Exclusive lower bound of bin {@code i} (0 for the first bin). */
  public long lowerExclusive(int bin) {
    checkBin(bin);
    return bin == 0 ? 0 : edges[bin - 1];
  }

  /** Inclusive upper bound of bin {@code i}, or {@link Long#MAX_VALUE} for the overflow bin. */
  public long upperInclusive(int bin) {
    checkBin(bin);
    return bin == edges.length ? Long.MAX_VALUE : edges[bin];
  }

  /** Human-readable label such as {@code 2K-4K} or {@code >128K}; K is 1024. */
  public String label(int bin) {
    checkBin(bin);
    if (bin == edges.length) {
      return ">" + human(edges[edges.length - 1]);
    }
    return human(lowerExclusive(bin)) + "-" + human(edges[bin]);
  }

  /** All labels in bin order. */
  public List<String> labels() {
    List<String> out = new ArrayList<>(count());
    for (int i = 0; i < count(); i++) {
      out.add(label(i));
    }
    return out;
  }

  private static String human(long n) {
    return n >= 1024 && n % 1024 == 0
        ? String.format(Locale.ROOT, "%dK", n / 1024)
        : Long.toString(n);
  }

  private void checkBin(int bin) {
    if (bin < 0 || bin > edges.length) {
      throw new IndexOutOfBoundsException("bin " + bin + " of " + count());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LengthBins other && Arrays.equals(edges, other.edges);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(edges);
  }

  @Override
  public String toString() {
    return "LengthBins" + labels();
  }
}
