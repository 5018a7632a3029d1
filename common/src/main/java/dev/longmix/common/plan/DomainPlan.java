package dev.longmix.common.plan;

import java.io.Serializable;

/**
 * One domain's part of a plan: its input, its target share and what the plan expects it to get.
 *
 * @param domain the domain name
 * @param pool the pool it draws its budget from
 * @param naturalShare its share of the input's tokens
 * @param targetShare the share the strategy aims for (for one-pool strategies, the natural share)
 * @param longClass its long documents
 * @param shortClass its short documents
 * @param expectedShare expected share of the output's tokens
 */
public record DomainPlan(
    String domain,
    String pool,
    double naturalShare,
    double targetShare,
    ClassPlan longClass,
    ClassPlan shortClass,
    double expectedShare)
    implements Serializable {

  /** The class plan for {@code c}. */
  public ClassPlan classPlan(LengthClass c) {
    return c == LengthClass.LONG ? longClass : shortClass;
  }

  /** Expected selected tokens of both classes. */
  public double expectedTokens() {
    return longClass.expectedTokens() + shortClass.expectedTokens();
  }

  /** Expected share of long-document tokens in this domain's output. */
  public double expectedLongShare() {
    double total = expectedTokens();
    return total == 0 ? 0 : longClass.expectedTokens() / total;
  }

  /** p: the share of this domain's input tokens that are in long documents. */
  public double naturalLongShare() {
    double all = (double) longClass.tokensAvailable() + shortClass.tokensAvailable();
    return all == 0 ? 0 : longClass.tokensAvailable() / all;
  }

  /** The long share the keep rule promises at this domain's rate: p/(p + r(1−p)). */
  public double formulaLongShare() {
    return MixturePlanner.formulaLongShare(
        longClass.tokensAvailable(), shortClass.tokensAvailable(), shortClass.rate());
  }

  /**
   * The rate at which short documents are actually taken relative to long ones: r while the keep
   * rule holds, more once long documents reached their cap and the rest came from short ones.
   */
  public double effectiveKeepRate() {
    if (longClass.meanCopies() == 0 || shortClass.tokensAvailable() == 0) {
      return shortClass.rate();
    }
    return shortClass.meanCopies() / longClass.meanCopies();
  }

  /**
   * Whether the plan gives this domain the keep rule's long share; false when its budget was filled
   * past the rule (the fill-short policy). A domain the plan takes nothing from holds it.
   */
  public boolean followsKeepRule() {
    return expectedTokens() == 0
        || Math.abs(expectedLongShare() - formulaLongShare()) <= KEEP_RULE_TOLERANCE;
  }

  // Expected shares are sums of doubles; a departure of interest is many orders larger.
  private static final double KEEP_RULE_TOLERANCE = 1e-6;
}
