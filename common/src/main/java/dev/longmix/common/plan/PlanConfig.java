package dev.longmix.common.plan;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.histogram.LengthHistogram;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The validated, immutable configuration of a mixture plan.
 *
 * <p>The canonical constructor checks every rule that does not need the histogram and throws {@link
 * ConfigException} naming the key; rules that need the histogram (unknown domains, the long
 * threshold matching the histogram's) are checked by {@link MixturePlanner}. Keys are the
 * command-line spellings, with defaults beside them.
 *
 * @param strategy which of the five strategies
 * @param budgetTokens N, the number of output tokens
 * @param longThreshold documents with more tokens than this are long
 * @param keepRate r, the rate at which short documents are kept (length-upsampling strategies): one
 *     for all domains, or one per named domain and one for the rest
 * @param targetLongShare τ; when non-null, replaces a single {@code keepRate} by r = min(1,
 *     p(1−τ)/(τ(1−p))) solved per pool (not allowed with rates per domain)
 * @param domainShares target token share per domain before upsampling; empty means the corpus's own
 *     shares (only per-source and domain strategies take shares)
 * @param upsampleDomains the domains the domain strategy raises
 * @param upsampleForm joint raw weight or single-domain target share
 * @param upsampleWeight raw weight (joint) or share (target-share) of the raised domains
 * @param maxCopies K, the most copies of one item the output may hold
 * @param infeasible what to do when a pool cannot be filled once
 * @param pieceTokens documents are cut into pieces of this many tokens; 0 keeps whole documents
 * @param seed the seed of every keyed random draw
 */
public record PlanConfig(
    Strategy strategy,
    long budgetTokens,
    long longThreshold,
    KeepRates keepRate,
    Double targetLongShare,
    Map<String, Double> domainShares,
    List<String> upsampleDomains,
    UpsampleForm upsampleForm,
    double upsampleWeight,
    int maxCopies,
    InfeasiblePolicy infeasible,
    int pieceTokens,
    long seed)
    implements Serializable {

  public static final String STRATEGY = "strategy";
  public static final String BUDGET_TOKENS = "budget-tokens";
  public static final String LONG_THRESHOLD = "long-threshold";
  public static final long LONG_THRESHOLD_DEFAULT = LengthHistogram.LONG_THRESHOLD_DEFAULT;
  public static final String KEEP_RATE = "keep-rate";
  public static final double KEEP_RATE_DEFAULT = 0.1;
  public static final String TARGET_LONG_SHARE = "target-long-share";
  public static final String DOMAIN_SHARES = "domain-shares";
  public static final String UPSAMPLE_DOMAINS = "upsample-domains";
  public static final String UPSAMPLE_FORM = "upsample-form";
  public static final UpsampleForm UPSAMPLE_FORM_DEFAULT = UpsampleForm.JOINT;
  public static final String UPSAMPLE_WEIGHT = "upsample-weight";
  public static final String MAX_COPIES = "max-copies";
  public static final int MAX_COPIES_DEFAULT = 1;
  public static final String INFEASIBLE = "infeasible";
  public static final InfeasiblePolicy INFEASIBLE_DEFAULT = InfeasiblePolicy.FAIL;
  public static final String PIECE_TOKENS = "piece-tokens";
  public static final String SEED = "seed";
  public static final long SEED_DEFAULT = 0;

  /** Shares must sum to one within this tolerance. */
  public static final double SHARE_SUM_TOLERANCE = 1e-6;

  public PlanConfig {
    if (strategy == null) {
      throw ConfigException.invalid(STRATEGY, null, "is required");
    }
    if (budgetTokens <= 0) {
      throw ConfigException.invalid(BUDGET_TOKENS, budgetTokens, "must be a positive integer");
    }
    if (longThreshold < 0) {
      throw ConfigException.invalid(LONG_THRESHOLD, longThreshold, "must be >= 0");
    }
    keepRate = keepRate == null ? KeepRates.uniform(KEEP_RATE_DEFAULT) : keepRate;
    if (!keepRate.isUniform()) {
      if (strategy.cutsDocuments()) {
        throw ConfigException.invalid(
            KEEP_RATE,
            keepRate,
            "rates per domain apply only to the per-source, global and domain strategies;"
                + " the cut strategies keep every piece");
      }
      if (targetLongShare != null) {
        throw ConfigException.invalid(
            KEEP_RATE,
            keepRate,
            "give rates per domain or --"
                + TARGET_LONG_SHARE
                + " (which solves one rate per pool), not both");
      }
    }
    if (targetLongShare != null) {
      if (strategy.cutsDocuments()) {
        throw ConfigException.invalid(
            TARGET_LONG_SHARE,
            targetLongShare,
            "applies only to the per-source, global and domain strategies, not "
                + strategy.cliName());
      }
      if (!(targetLongShare > 0 && targetLongShare < 1)) {
        throw ConfigException.invalid(TARGET_LONG_SHARE, targetLongShare, "must be in (0, 1)");
      }
    }
    domainShares = validShares(strategy, domainShares);
    upsampleForm = upsampleForm == null ? UPSAMPLE_FORM_DEFAULT : upsampleForm;
    upsampleDomains = validUpsampling(strategy, upsampleDomains, upsampleForm, upsampleWeight);
    if (maxCopies < 1) {
      throw ConfigException.invalid(MAX_COPIES, maxCopies, "must be an integer >= 1");
    }
    if (infeasible == null) {
      throw ConfigException.invalid(INFEASIBLE, null, "is required (fail, repeat or fill-short)");
    }
    if (strategy.cutsDocuments() && pieceTokens <= 0) {
      throw ConfigException.invalid(
          PIECE_TOKENS, pieceTokens, "must be positive for " + strategy.cliName());
    }
    if (!strategy.cutsDocuments() && pieceTokens != 0) {
      throw ConfigException.invalid(
          PIECE_TOKENS,
          pieceTokens,
          "must be 0 (whole documents) for " + strategy.cliName() + "; only cut strategies cut");
    }
  }

  private static Map<String, Double> validShares(Strategy strategy, Map<String, Double> shares) {
    if (shares == null || shares.isEmpty()) {
      return Map.of();
    }
    if (!strategy.budgetsPerDomain()) {
      throw ConfigException.invalid(
          DOMAIN_SHARES,
          spelled(shares),
          strategy.cliName()
              + " keeps the corpus's own domain shares; only per-source and domain take shares");
    }
    double sum = 0;
    for (Map.Entry<String, Double> e : shares.entrySet()) {
      Double w = e.getValue();
      if (e.getKey() == null || e.getKey().isEmpty() || w == null || !(w >= 0 && w <= 1)) {
        throw ConfigException.invalid(
            DOMAIN_SHARES,
            spelled(shares),
            "every share must be a number in [0, 1]; " + e.getKey() + "=" + w + " is not");
      }
      sum += w;
    }
    if (Math.abs(sum - 1) > SHARE_SUM_TOLERANCE) {
      // Rounded so that 0.3 three times reads 0.9, not 0.8999999999999999.
      throw ConfigException.invalid(
          DOMAIN_SHARES,
          spelled(shares),
          "shares must sum to 1 (within 1e-6), they sum to " + Math.round(sum * 1e9) / 1e9);
    }
    // A sorted copy keeps the JSON manifest stable; unmodifiableMap over TreeMap is Serializable.
    return Collections.unmodifiableMap(new TreeMap<>(shares));
  }

  /**
   * Shares as the command line spells them ({@code A=0.5,B=0.5}); the command line reports the
   * value exactly as typed instead (see the jobs module's PlanOptions).
   */
  private static String spelled(Map<String, Double> shares) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Double> e : shares.entrySet()) {
      sb.append(sb.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }

  private static List<String> validUpsampling(
      Strategy strategy, List<String> domains, UpsampleForm form, double weight) {
    List<String> list = domains == null ? List.of() : List.copyOf(domains);
    if (strategy != Strategy.DOMAIN) {
      if (!list.isEmpty()) {
        throw ConfigException.invalid(
            UPSAMPLE_DOMAINS,
            list,
            "applies only to the domain strategy, not " + strategy.cliName());
      }
      return list;
    }
    if (list.isEmpty()) {
      throw ConfigException.invalid(
          UPSAMPLE_DOMAINS, list, "the domain strategy needs at least one domain to raise");
    }
    if (new HashSet<>(list).size() != list.size()) {
      throw ConfigException.invalid(UPSAMPLE_DOMAINS, list, "must not repeat a domain");
    }
    if (form == UpsampleForm.TARGET_SHARE) {
      if (list.size() != 1) {
        throw ConfigException.invalid(
            UPSAMPLE_DOMAINS, list, "the target-share form raises exactly one domain");
      }
      if (!(weight > 0 && weight < 1)) {
        throw ConfigException.invalid(
            UPSAMPLE_WEIGHT, weight, "must be a share in (0, 1) for the target-share form");
      }
    } else if (!(weight > 0 && Double.isFinite(weight))) {
      throw ConfigException.invalid(
          UPSAMPLE_WEIGHT, weight, "must be a positive raw weight for the joint form");
    }
    return list;
  }

  /** A builder with every default filled in for {@code strategy} and {@code budgetTokens}. */
  public static Builder builder(Strategy strategy, long budgetTokens) {
    return new Builder(strategy, budgetTokens);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder(strategy, budgetTokens);
    b.longThreshold = longThreshold;
    b.keepRate = keepRate;
    b.targetLongShare = targetLongShare;
    b.domainShares = domainShares;
    b.upsampleDomains = upsampleDomains;
    b.upsampleForm = upsampleForm;
    b.upsampleWeight = upsampleWeight;
    b.maxCopies = maxCopies;
    b.infeasible = infeasible;
    b.pieceTokens = pieceTokens;
    b.seed = seed;
    return b;
  }

  /** Fluent construction with defaults; {@link #build()} runs the record's validation. */
  public static final class Builder {
    private final Strategy strategy;
    private long budgetTokens;
    private long longThreshold = LONG_THRESHOLD_DEFAULT;
    private KeepRates keepRate = KeepRates.uniform(KEEP_RATE_DEFAULT);
    private Double targetLongShare;
    private Map<String, Double> domainShares = Map.of();
    private List<String> upsampleDomains = List.of();
    private UpsampleForm upsampleForm = UPSAMPLE_FORM_DEFAULT;
    private Double upsampleWeight;
    private int maxCopies = MAX_COPIES_DEFAULT;
    private InfeasiblePolicy infeasible = INFEASIBLE_DEFAULT;
    private Integer pieceTokens;
    private long seed = SEED_DEFAULT;

    private Builder(Strategy strategy, long budgetTokens) {
      this.strategy = strategy;
      this.budgetTokens = budgetTokens;
    }

    public Builder budgetTokens(long v) {
      budgetTokens = v;
      return this;
    }

    public Builder longThreshold(long v) {
      longThreshold = v;
      return this;
    }

    /** One rate for every domain. */
    public Builder keepRate(double v) {
      keepRate = KeepRates.uniform(v);
      return this;
    }

    /** Rates per domain, or one for all. */
    public Builder keepRate(KeepRates v) {
      keepRate = v;
      return this;
    }

    public Builder targetLongShare(Double v) {
      targetLongShare = v;
      return this;
    }

    /** Explicit shares per domain. */
    public Builder domainShares(Map<String, Double> v) {
      domainShares = v;
      return this;
    }

    /** Shares from a named preset ({@code natural}, {@code slimpajama}, {@code llama1}). */
    public Builder domainSharesPreset(String name) {
      domainShares = DomainShares.preset(name);
      return this;
    }

    /** Raise these domains with the joint form and its default raw weight. */
    public Builder upsampleJoint(List<String> domains) {
      upsampleDomains = new ArrayList<>(domains);
      upsampleForm = UpsampleForm.JOINT;
      upsampleWeight = null;
      return this;
    }

    /** Raise one domain to a target share (single-domain form). */
    public Builder upsampleToShare(String domain, double share) {
      upsampleDomains = List.of(domain);
      upsampleForm = UpsampleForm.TARGET_SHARE;
      upsampleWeight = share;
      return this;
    }

    public Builder upsampleDomains(List<String> v) {
      upsampleDomains = v;
      return this;
    }

    public Builder upsampleForm(UpsampleForm v) {
      upsampleForm = v;
      return this;
    }

    public Builder upsampleWeight(double v) {
      upsampleWeight = v;
      return this;
    }

    public Builder maxCopies(int v) {
      maxCopies = v;
      return this;
    }

    public Builder infeasible(InfeasiblePolicy v) {
      infeasible = v;
      return this;
    }

    public Builder pieceTokens(int v) {
      pieceTokens = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public PlanConfig build() {
      UpsampleForm form = upsampleForm == null ? UPSAMPLE_FORM_DEFAULT : upsampleForm;
      return new PlanConfig(
          strategy,
          budgetTokens,
          longThreshold,
          keepRate,
          targetLongShare,
          domainShares,
          upsampleDomains,
          form,
          upsampleWeight == null ? form.defaultWeight() : upsampleWeight,
          maxCopies,
          infeasible,
          pieceTokens == null
              ? (strategy == null ? 0 : strategy.defaultPieceTokens())
              : pieceTokens,
          seed);
    }
  }
}
