package dev.longmix.common.plan;

import java.io.Serializable;
import java.util.List;

/**
 * One budget pool: the domains that share its budget, its per-class rates, and the expected time T*
 * at which the expected selected tokens reach the budget.
 *
 * @param pool the pool's name: a domain, or {@link Plan#SINGLE_POOL}
 * @param domains the domains whose items compete for this budget
 * @param budgetTokens B, filled exactly by the selection
 * @param expectedTime T*, solving Σ_c n_c·min(λ_c·T, K) = B
 * @param verdict whether B fits without repetition, needs repetition, or exceeds the cap
 * @param longClass the long documents' class
 * @param shortClass the short documents' class
 */
public record PoolPlan(
    String pool,
    List<String> domains,
    long budgetTokens,
    double expectedTime,
    Verdict verdict,
    ClassPlan longClass,
    ClassPlan shortClass)
    implements Serializable {

  /** Whether a pool's budget can be met, and how. */
  public enum Verdict {
    /** Met with every item taken at most once in expectation. */
    FITS,
    /** Met only by repeating items, within the copy cap. */
    REPEATS,
    /**
     * Met only by taking the remainder from short documents at more than their keep rate, once the
     * long documents reached the copy cap: the long share is then below p/(p + r(1−p)). Allowed
     * only under {@link InfeasiblePolicy#FILL_SHORT}.
     */
    FILLS,
    /** More than the copy cap times the selectable tokens. */
    INFEASIBLE
  }

  public PoolPlan {
    domains = List.copyOf(domains);
  }

  /** The class plan for {@code c}. */
  public ClassPlan classPlan(LengthClass c) {
    return c == LengthClass.LONG ? longClass : shortClass;
  }

  /** The rate of class {@code c}. */
  public double rate(LengthClass c) {
    return classPlan(c).rate();
  }

  /**
   * The rate this pool's items are drawn at: a pool of one length class (as a plan's pools are) has
   * one; for a pool of both classes, its short documents' rate (long ones are drawn at 1).
   */
  public double drawRate() {
    return longClass.tokensAvailable() > 0 && shortClass.tokensAvailable() == 0
        ? longClass.rate()
        : shortClass.rate();
  }

  /** Tokens in classes with a positive rate, each counted once. */
  public long selectableTokens() {
    long n = 0;
    for (ClassPlan c : List.of(longClass, shortClass)) {
      if (c.rate() > 0) {
        n += c.tokensAvailable();
      }
    }
    return n;
  }

  /**
   * The time by which every copy of every selectable item has been drawn, K/λ_min; every selection
   * time of the pool lies in [0, horizon). Zero when nothing is selectable.
   */
  public double horizon(int maxCopies) {
    double min = Double.POSITIVE_INFINITY;
    for (ClassPlan c : List.of(longClass, shortClass)) {
      if (c.rate() > 0 && c.tokensAvailable() > 0) {
        min = Math.min(min, c.rate());
      }
    }
    return min == Double.POSITIVE_INFINITY ? 0 : maxCopies / min;
  }

  /**
   * The most tokens the keep rule gives with at most {@code maxCopies} copies per item: the
   * classes' tokens in the rule's proportions up to the time the fastest class reaches its cap.
   * Beyond it only the slower class has copies left, so more tokens change the pool's long share.
   */
  public double keepRuleTokens(int maxCopies) {
    return keepRuleTokens(longClass, shortClass, maxCopies);
  }

  static double keepRuleTokens(ClassPlan longClass, ClassPlan shortClass, int maxCopies) {
    double fastest = 0;
    for (ClassPlan c : List.of(longClass, shortClass)) {
      if (c.rate() > 0 && c.tokensAvailable() > 0) {
        fastest = Math.max(fastest, c.rate());
      }
    }
    if (fastest == 0) {
      return 0;
    }
    double capTime = maxCopies / fastest;
    double n = 0;
    for (ClassPlan c : List.of(longClass, shortClass)) {
      if (c.rate() > 0) {
        n += c.tokensAvailable() * Math.min(c.rate() * capTime, maxCopies);
      }
    }
    return n;
  }

  /** Expected share of long-document tokens in this pool's output. */
  public double expectedLongShare() {
    double total = longClass.expectedTokens() + shortClass.expectedTokens();
    return total == 0 ? 0 : longClass.expectedTokens() / total;
  }
}
