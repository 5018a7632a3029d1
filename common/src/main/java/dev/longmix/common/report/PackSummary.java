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
   * @param plannedLongShare expected share of long-document tokens inside the domain
   * @param achievedLongShare selected share of long-document tokens inside the domain
   */
  public record Domain(
      String domain,
      double targetShare,
      double plannedShare,
      double achievedShare,
      long achievedTokens,
      double plannedLongShare,
      double achievedLongShare) {}

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
