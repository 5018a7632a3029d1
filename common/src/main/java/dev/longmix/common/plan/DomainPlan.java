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
}
