package dev.longmix.common.select;

import java.io.Serializable;

/**
 * Where a pool's budget is reached among its bucket sums.
 *
 * @param bucket the bucket in which the running sum first reaches the budget; -1 if the budget is 0
 *     (nothing is taken) or exceeds all tokens (everything is taken)
 * @param tokensBefore tokens in all buckets before {@code bucket}
 * @param totalTokens tokens in all buckets
 * @param budgetTokens the budget
 */
public record Crossing(int bucket, long tokensBefore, long totalTokens, long budgetTokens)
    implements Serializable {

  /** Tokens still needed from the crossing bucket. */
  public long tokensNeeded() {
    return budgetTokens - tokensBefore;
  }

  /** Tokens the budget exceeds the candidates by; positive only when everything is taken. */
  public long shortfallTokens() {
    return Math.max(0, budgetTokens - totalTokens);
  }
}
