package dev.longmix.common.plan;

import dev.longmix.common.histogram.LengthHistogram;
import java.util.LinkedHashMap;
import java.util.Map;

/** SlimPajama-like histograms built from per-domain token shares and long shares. */
final class Fixtures {
  /** Long shares per domain, roughly SlimPajama's (ArXiv and Book mostly long). */
  static final Map<String, Double> LONG_SHARES = new LinkedHashMap<>();

  static {
    LONG_SHARES.put(DomainShares.COMMON_CRAWL, 0.30);
    LONG_SHARES.put(DomainShares.C4, 0.05);
    LONG_SHARES.put(DomainShares.GITHUB, 0.40);
    LONG_SHARES.put(DomainShares.ARXIV, 0.85);
    LONG_SHARES.put(DomainShares.BOOK, 0.98);
    LONG_SHARES.put(DomainShares.WIKIPEDIA, 0.20);
    LONG_SHARES.put(DomainShares.STACK_EXCHANGE, 0.10);
  }

  private Fixtures() {}

  /**
   * A histogram with {@code total} tokens split by the SlimPajama preset, each domain's long share
   * as in {@link #LONG_SHARES}: long documents of 10,000 tokens, short ones of 1,000.
   */
  static LengthHistogram slimPajamaLike(long total) {
    LengthHistogram h = LengthHistogram.fig2();
    DomainShares.preset(DomainShares.SLIMPAJAMA)
        .forEach(
            (domain, share) -> {
              long tokens = Math.round(total * share);
              long longTokens = Math.round(tokens * LONG_SHARES.get(domain));
              for (long n = 0; n < longTokens / 10_000; n++) {
                h.add(domain, 10_000);
              }
              for (long n = 0; n < (tokens - longTokens) / 1000; n++) {
                h.add(domain, 1000);
              }
            });
    return h;
  }
}
