package dev.longmix.common.report;

import java.util.List;

/**
 * What the report shows of a packed output: the plan's targets beside what was written.
 *
 * @param strategy the sampling strategy's name
 * @param seqLen tokens per row
 * @param batchTokens tokens per training batch, for the "batches" unit (4M in the paper)
 * @param budgetTokens the plan's token budget
 * @param selectedTokens tokens of the selected items (equals the budget)
 * @param rows packed rows written
 * @param tail what happened to the last partial row ("drop", "pad", ...)
 * @param droppedTailTokens selected tokens not written because the last partial row was dropped
 * @param padTokens pad tokens written into the last row
 * @param items selected items (documents, pieces or copies)
 * @param repeatedItems items that are a second or later copy of a document
 * @param repeatedTokens tokens of those copies
 * @param maxCopy the highest copy index
 * @param maxItemTokens tokens of the largest item
 * @param granularityPoints share points one draw may sit from the plan because items come whole
 * @param plannedLongShare the plan's expected share of long-document tokens
 * @param achievedLongShare the selected long-document share
 * @param domains per-domain targets and outcomes
 * @param plannedBinShares planned token share per length bin (parallel to the corpus bins)
 * @param achievedBinTokens selected tokens per length bin
 */
public record PackSummary(
    String strategy,
    int seqLen,
    long batchTokens,
    long budgetTokens,
    long selectedTokens,
    long rows,
    String tail,
    long droppedTailTokens,
    long padTokens,
    long items,
    long repeatedItems,
    long repeatedTokens,
    int maxCopy,
    long maxItemTokens,
    double granularityPoints,
    double plannedLongShare,
    double achievedLongShare,
    List<Domain> domains,
    double[] plannedBinShares,
    long[] achievedBinTokens) {

  /**
   * One domain's shares of the output's tokens and long-document share inside the domain.
   *
   * @param targetShare the share the strategy aims for
   * @param plannedShare the plan's expected share
   * @param achievedShare the selected share
   * @param achievedTokens the selected tokens
   * @param formulaLongShare the keep rule's long share p/(p + r(1−p)) at the domain's rate
   * @param plannedLongShare expected share of long-document tokens inside the domain
   * @param achievedLongShare selected share of long-document tokens inside the domain
   * @param keepRate r, the rate short documents are kept at by the keep rule
   * @param effectiveKeepRate the rate the plan takes short documents at relative to long ones (r
   *     unless the budget was filled past the rule)
   */
  public record Domain(
      String domain,
      double targetShare,
      double plannedShare,
      double achievedShare,
      long achievedTokens,
      double formulaLongShare,
      double plannedLongShare,
      double achievedLongShare,
      double keepRate,
      double effectiveKeepRate) {

    /** Whether the plan departs from the keep rule's long share for this domain. */
    public boolean departsFromKeepRule() {
      return Math.abs(plannedLongShare - formulaLongShare) > 1e-6;
    }
  }

  public PackSummary {
    domains = List.copyOf(domains);
    if (plannedBinShares.length != achievedBinTokens.length) {
      throw new IllegalArgumentException(
          plannedBinShares.length + " planned bins but " + achievedBinTokens.length + " achieved");
    }
  }

  /** Tokens in the written rows, padding included. */
  public long outputTokens() {
    return rows * (long) seqLen;
  }
}
