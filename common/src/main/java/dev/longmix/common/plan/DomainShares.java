package dev.longmix.common.plan;

import dev.longmix.common.config.ConfigException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** SlimPajama's domain names and the named domain-share presets. */
public final class DomainShares {
  public static final String COMMON_CRAWL = "RedPajamaCommonCrawl";
  public static final String C4 = "RedPajamaC4";
  public static final String GITHUB = "RedPajamaGithub";
  public static final String ARXIV = "RedPajamaArXiv";
  public static final String BOOK = "RedPajamaBook";
  public static final String WIKIPEDIA = "RedPajamaWikipedia";
  public static final String STACK_EXCHANGE = "RedPajamaStackExchange";

  /** Preset name meaning "the corpus's own shares, as measured by the histogram". */
  public static final String NATURAL = "natural";

  /** Preset: SlimPajama's token shares as the authors' code measured them. */
  public static final String SLIMPAJAMA = "slimpajama";

  /** Preset: LLaMA-1's target mix, which the paper's prose quotes; not SlimPajama's own mix. */
  public static final String LLAMA1 = "llama1";

  /** The domains the authors' joint domain-upsampling run raised to raw weight 0.6 each. */
  public static final List<String> AUTHORS_UPSAMPLED = List.of(GITHUB, ARXIV, BOOK);

  private static final Map<String, Map<String, Double>> PRESETS =
      Map.of(
          SLIMPAJAMA,
          ordered(
              COMMON_CRAWL,
              .534,
              C4,
              .266,
              GITHUB,
              .050,
              ARXIV,
              .043,
              BOOK,
              .041,
              WIKIPEDIA,
              .034,
              STACK_EXCHANGE,
              .032),
          // LLaMA-1 (Touvron et al. 2023, Table 1): Wikipedia and Books 4.5%, ArXiv 2.5%.
          LLAMA1,
          ordered(
              COMMON_CRAWL,
              .67,
              C4,
              .15,
              GITHUB,
              .045,
              WIKIPEDIA,
              .045,
              BOOK,
              .045,
              ARXIV,
              .025,
              STACK_EXCHANGE,
              .020));

  private DomainShares() {}

  /** Names accepted by {@link #preset}, besides {@link #NATURAL}. */
  public static Set<String> presetNames() {
    return Collections.unmodifiableSet(new TreeMap<>(PRESETS).keySet());
  }

  /**
   * The shares of a named preset; {@link #NATURAL} gives an empty map, which the planner reads as
   * "use the histogram's shares".
   */
  public static Map<String, Double> preset(String name) {
    if (NATURAL.equals(name)) {
      return Map.of();
    }
    Map<String, Double> shares = PRESETS.get(name);
    if (shares == null) {
      throw ConfigException.invalid(
          PlanConfig.DOMAIN_SHARES,
          name,
          "must be " + NATURAL + ", one of " + presetNames() + ", or an explicit domain=share map");
    }
    return shares;
  }

  private static Map<String, Double> ordered(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Double) kv[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
