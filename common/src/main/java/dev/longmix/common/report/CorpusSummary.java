package dev.longmix.common.report;

import dev.longmix.common.histogram.LengthHistogram;
import java.util.ArrayList;
import java.util.List;

/**
 * What the report shows of an input corpus: per-domain documents and tokens on the Fig. 2 bins.
 *
 * @param binLabels labels of the length bins, shortest first
 * @param longThreshold documents with more tokens than this count as long
 * @param domains one entry per domain, in display order
 */
public record CorpusSummary(List<String> binLabels, long longThreshold, List<Domain> domains) {

  /** One domain's counts; {@code binTokens} is parallel to {@link #binLabels()}. */
  public record Domain(
      String domain, long documents, long tokens, long longTokens, long[] binTokens) {}

  public CorpusSummary {
    binLabels = List.copyOf(binLabels);
    domains = List.copyOf(domains);
    for (Domain d : domains) {
      if (d.binTokens().length != binLabels.size()) {
        throw new IllegalArgumentException(
            "domain "
                + d.domain()
                + " has "
                + d.binTokens().length
                + " bins, expected "
                + binLabels.size());
      }
    }
  }

  /** The summary of a histogram (normally the Fig. 2 one the histogram stage measures). */
  public static CorpusSummary of(LengthHistogram h) {
    List<Domain> ds = new ArrayList<>();
    for (String d : h.domains()) {
      long[] bins = new long[h.bins().count()];
      for (int b = 0; b < bins.length; b++) {
        bins[b] = h.tokens(d, b);
      }
      ds.add(new Domain(d, h.documents(d), h.tokens(d), h.longTokens(d), bins));
    }
    return new CorpusSummary(h.bins().labels(), h.longThreshold(), ds);
  }

  /** All domains' tokens. */
  public long tokens() {
    return domains.stream().mapToLong(Domain::tokens).sum();
  }

  /** All domains' documents. */
  public long documents() {
    return domains.stream().mapToLong(Domain::documents).sum();
  }

  /** All domains' tokens in long documents. */
  public long longTokens() {
    return domains.stream().mapToLong(Domain::longTokens).sum();
  }

  /** Tokens per bin over all domains. */
  public long[] binTokens() {
    long[] out = new long[binLabels.size()];
    for (Domain d : domains) {
      for (int b = 0; b < out.length; b++) {
        out[b] += d.binTokens()[b];
      }
    }
    return out;
  }
}
