package dev.longmix.common.histogram;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Documents and tokens per domain and length bin, plus exact long-document totals per domain.
 *
 * <p>This is an accumulator: {@link #add} and {@link #merge} mutate it, so Spark can use it as the
 * zero value of an aggregate and ship it between executors ({@link Serializable}). All counters are
 * sums, so the result does not depend on the order of adds or merges. Long-document totals are kept
 * apart from the bins because the long threshold need not be a bin edge; "long" means strictly more
 * than {@link #longThreshold()} tokens.
 */
public final class LengthHistogram implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default long threshold: the recipe's "more than 4,096 tokens". */
  public static final long LONG_THRESHOLD_DEFAULT = 4096;

  private final LengthBins bins;
  private final long longThreshold;
  // TreeMap keeps domains sorted so JSON and tables come out in a stable order.
  private final TreeMap<String, Counts> domains = new TreeMap<>();

  /**
   * An empty histogram over {@code bins} that counts documents over {@code longThreshold} as long.
   */
  public LengthHistogram(LengthBins bins, long longThreshold) {
    this.bins = Objects.requireNonNull(bins, "bins");
    if (longThreshold < 0) {
      throw new IllegalArgumentException("long threshold must be >= 0, got " + longThreshold);
    }
    this.longThreshold = longThreshold;
  }

  /** An empty histogram over the Fig. 2 bins with the default long threshold. */
  public static LengthHistogram fig2() {
    return new LengthHistogram(LengthBins.fig2(), LONG_THRESHOLD_DEFAULT);
  }

  /** Counts one document of {@code nTokens} tokens in {@code domain}; returns this. */
  public LengthHistogram add(String domain, long nTokens) {
    Objects.requireNonNull(domain, "domain");
    int bin = bins.binOf(nTokens);
    Counts c = domains.computeIfAbsent(domain, d -> new Counts(bins.count()));
    c.documents[bin]++;
    c.tokens[bin] += nTokens;
    if (nTokens > longThreshold) {
      c.longDocuments++;
      c.longTokens += nTokens;
    }
    return this;
  }

  /** Adds every counter of {@code other} into this one; returns this. */
  public LengthHistogram merge(LengthHistogram other) {
    if (!bins.equals(other.bins) || longThreshold != other.longThreshold) {
      throw new IllegalArgumentException(
          "cannot merge histograms with different bins or long thresholds: "
              + bins
              + "/"
              + longThreshold
              + " vs "
              + other.bins
              + "/"
              + other.longThreshold);
    }
    other.domains.forEach(
        (domain, theirs) ->
            domains.computeIfAbsent(domain, d -> new Counts(bins.count())).addAll(theirs));
    return this;
  }

  /**
   * This histogram without the documents {@code part} counts (which must be among them: the
   * training side of a corpus once its eval pool is held out); a new histogram. Domains left empty
   * are dropped.
   *
   * @throws IllegalArgumentException when the bins differ or {@code part} counts more than this
   *     histogram in some domain and bin
   */
  public LengthHistogram minus(LengthHistogram part) {
    if (!bins.equals(part.bins) || longThreshold != part.longThreshold) {
      throw new IllegalArgumentException(
          "cannot subtract a histogram with different bins or long threshold: "
              + part.bins
              + "/"
              + part.longThreshold
              + " from "
              + bins
              + "/"
              + longThreshold);
    }
    LengthHistogram out = copy();
    part.domains.forEach(
        (domain, theirs) -> {
          Counts mine = out.domains.get(domain);
          for (int i = 0; i < bins.count(); i++) {
            long docs = mine == null ? 0 : mine.documents[i];
            long toks = mine == null ? 0 : mine.tokens[i];
            if (theirs.documents[i] > docs || theirs.tokens[i] > toks) {
              throw new IllegalArgumentException(
                  "cannot subtract "
                      + theirs.documents[i]
                      + " documents / "
                      + theirs.tokens[i]
                      + " tokens of "
                      + domain
                      + " in bin "
                      + bins.label(i)
                      + " from "
                      + docs
                      + " / "
                      + toks);
            }
          }
          for (int i = 0; i < bins.count(); i++) {
            mine.documents[i] -= theirs.documents[i];
            mine.tokens[i] -= theirs.tokens[i];
          }
          mine.longDocuments -= theirs.longDocuments;
          mine.longTokens -= theirs.longTokens;
          if (Arrays.stream(mine.documents).sum() == 0) {
            out.domains.remove(domain);
          }
        });
    return out;
  }

  /** A deep copy. */
  public LengthHistogram copy() {
    return new LengthHistogram(bins, longThreshold).merge(this);
  }

  public LengthBins bins() {
    return bins;
  }

  public long longThreshold() {
    return longThreshold;
  }

  /** Domains seen, sorted. */
  public List<String> domains() {
    return List.copyOf(domains.keySet());
  }

  public boolean hasDomain(String domain) {
    return domains.containsKey(domain);
  }

  public long documents(String domain, int bin) {
    Counts c = domains.get(domain);
    return c == null ? 0 : c.documents[bin];
  }

  public long tokens(String domain, int bin) {
    Counts c = domains.get(domain);
    return c == null ? 0 : c.tokens[bin];
  }

  /** Documents of {@code domain} in all bins. */
  public long documents(String domain) {
    Counts c = domains.get(domain);
    return c == null ? 0 : Arrays.stream(c.documents).sum();
  }

  /** Tokens of {@code domain} in all bins. */
  public long tokens(String domain) {
    Counts c = domains.get(domain);
    return c == null ? 0 : Arrays.stream(c.tokens).sum();
  }

  /** Tokens of all domains. */
  public long tokens() {
    return domains.keySet().stream().mapToLong(this::tokens).sum();
  }

  /** Documents of all domains. */
  public long documents() {
    return domains.keySet().stream().mapToLong(this::documents).sum();
  }

  /** Tokens of all domains in {@code bin}. */
  public long binTokens(int bin) {
    return domains.values().stream().mapToLong(c -> c.tokens[bin]).sum();
  }

  /** Tokens of {@code domain} in documents longer than the threshold (exact, not from bins). */
  public long longTokens(String domain) {
    Counts c = domains.get(domain);
    return c == null ? 0 : c.longTokens;
  }

  /** Documents of {@code domain} longer than the threshold. */
  public long longDocuments(String domain) {
    Counts c = domains.get(domain);
    return c == null ? 0 : c.longDocuments;
  }

  /** Long tokens of all domains. */
  public long longTokens() {
    return domains.values().stream().mapToLong(c -> c.longTokens).sum();
  }

  /** The domain's share of all tokens; 0 for an empty histogram. */
  public double tokenShare(String domain) {
    return ratio(tokens(domain), tokens());
  }

  /** The share of the domain's tokens that sit in long documents (the recipe's p_s). */
  public double longShare(String domain) {
    return ratio(longTokens(domain), tokens(domain));
  }

  /** The share of all tokens that sit in long documents. */
  public double longShare() {
    return ratio(longTokens(), tokens());
  }

  /** The share of all tokens that fall in {@code bin} (Fig. 2's y axis). */
  public double binTokenShare(int bin) {
    return ratio(binTokens(bin), tokens());
  }

  private static double ratio(long num, long den) {
    return den == 0 ? 0.0 : (double) num / den;
  }

  /** A JSON-friendly copy (records, arrays, sorted map) for writing with Jackson. */
  public Snapshot snapshot() {
    SortedMap<String, DomainCounts> out = new TreeMap<>();
    domains.forEach(
        (d, c) ->
            out.put(
                d,
                new DomainCounts(
                    c.documents.clone(), c.tokens.clone(), c.longDocuments, c.longTokens)));
    return new Snapshot(bins.edges(), bins.labels(), longThreshold, out);
  }

  /** Rebuilds a histogram from {@link #snapshot()}'s form, checking array lengths. */
  public static LengthHistogram fromSnapshot(Snapshot s) {
    LengthHistogram h = new LengthHistogram(LengthBins.ofEdges(s.edges()), s.longThreshold());
    s.domains()
        .forEach(
            (d, dc) -> {
              if (dc.documents().length != h.bins.count() || dc.tokens().length != h.bins.count()) {
                throw new IllegalArgumentException(
                    "domain " + d + ": expected " + h.bins.count() + " bins in histogram JSON");
              }
              Counts c = new Counts(h.bins.count());
              System.arraycopy(dc.documents(), 0, c.documents, 0, c.documents.length);
              System.arraycopy(dc.tokens(), 0, c.tokens, 0, c.tokens.length);
              c.longDocuments = dc.longDocuments();
              c.longTokens = dc.longTokens();
              h.domains.put(d, c);
            });
    return h;
  }

  /**
   * The histogram as plain values: bin edges (inclusive upper), their labels (informative; ignored
   * when reading back), the long threshold and per-domain counters.
   */
  public record Snapshot(
      long[] edges, List<String> labels, long longThreshold, Map<String, DomainCounts> domains) {
    public Snapshot {
      labels = labels == null ? List.of() : List.copyOf(labels);
      domains = Collections.unmodifiableSortedMap(new TreeMap<>(domains));
    }
  }

  /** One domain's counters: per-bin documents and tokens, and exact long-document totals. */
  public record DomainCounts(
      long[] documents, long[] tokens, long longDocuments, long longTokens) {}

  private static final class Counts implements Serializable {
    private static final long serialVersionUID = 1L;
    final long[] documents;
    final long[] tokens;
    long longDocuments;
    long longTokens;

    Counts(int bins) {
      documents = new long[bins];
      tokens = new long[bins];
    }

    void addAll(Counts o) {
      for (int i = 0; i < documents.length; i++) {
        documents[i] += o.documents[i];
        tokens[i] += o.tokens[i];
      }
      longDocuments += o.longDocuments;
      longTokens += o.longTokens;
    }

    boolean sameAs(Counts o) {
      return Arrays.equals(documents, o.documents)
          && Arrays.equals(tokens, o.tokens)
          && longDocuments == o.longDocuments
          && longTokens == o.longTokens;
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LengthHistogram other)
        || !bins.equals(other.bins)
        || longThreshold != other.longThreshold
        || !domains.keySet().equals(other.domains.keySet())) {
      return false;
    }
    return domains.entrySet().stream()
        .allMatch(e -> e.getValue().sameAs(other.domains.get(e.getKey())));
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(bins, longThreshold);
    for (Map.Entry<String, Counts> e : domains.entrySet()) {
      h = 31 * h + e.getKey().hashCode();
      h = 31 * h + Arrays.hashCode(e.getValue().tokens);
      h = 31 * h + Long.hashCode(e.getValue().longTokens);
    }
    return h;
  }

  @Override
  public String toString() {
    return "LengthHistogram{" + domains.keySet() + ", tokens=" + tokens() + "}";
  }
}
