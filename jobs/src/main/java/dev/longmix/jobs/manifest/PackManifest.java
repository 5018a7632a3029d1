package dev.longmix.jobs.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.longmix.common.pack.PackOutcome;
import dev.longmix.common.plan.PlanConfig;
import dev.longmix.common.select.PoolCutoff;
import java.util.List;
import java.util.Map;

/**
 * The pack stage's manifest body: how the rows were made (inputs, plan, cutoffs), what they hold
 * against the plan ({@link PackOutcome.Report}), and the counts a reader checks first.
 *
 * @param inputFingerprint the tokenized dataset's fingerprint
 * @param input the tokenized dataset
 * @param histogram the histogram the plan was made from
 * @param tokenizerSha256 the tokenizer's hash, from the tokenized dataset
 * @param seed the seed of every keyed draw
 * @param planConfig the plan's settings
 * @param plan the plan as printed, one line per element
 * @param cutoffs where each pool's selection ended
 * @param report target versus achieved
 * @param repetition how much of the output is repeated items
 * @param counts rows, tokens, tail and the content digest
 * @param schema the rows' Spark schema
 * @param seconds in-job seconds
 * @param holdout what the pack did about the input's eval pool
 * @param evalDuplicates packed documents whose ids equal an eval pool document's (null when the
 *     input has no eval pool to compare with)
 */
public record PackManifest(
    String inputFingerprint,
    String input,
    String histogram,
    String tokenizerSha256,
    long seed,
    PlanConfig planConfig,
    List<String> plan,
    Map<String, PoolCutoff> cutoffs,
    PackOutcome.Report report,
    Repetition repetition,
    Counts counts,
    String schema,
    double seconds,
    Holdout holdout,
    EvalDuplicates evalDuplicates) {

  public static final String STAGE = "pack";

  /**
   * The input's eval pool, as this pack treated it.
   *
   * @param status {@code excluded}, {@code none declared} or {@code ignored (--no-holdout)}
   * @param record the holdout record's folder
   * @param fingerprint its fingerprint
   * @param fraction its share of documents
   * @param seed its seed
   * @param documents documents it holds out
   * @param tokens their tokens
   * @param excludedDocuments documents left out of this pack's selection (equals documents)
   * @param excludedTokens their tokens
   */
  public record Holdout(
      String status,
      String record,
      String fingerprint,
      Double fraction,
      Long seed,
      Long documents,
      Long tokens,
      Long excludedDocuments,
      Long excludedTokens) {}

  /**
   * Packed documents whose token ids equal an eval pool document's: duplicates of eval text
   * elsewhere in the corpus (or, under --no-holdout, the pool's own documents).
   *
   * @param comparedWith eval pool documents compared with
   * @param method how equality is decided
   * @param documents packed documents equal to an eval document
   * @param tokens their tokens (whole documents)
   * @param byDomain those documents per domain
   * @param docIds their doc ids, sorted (the first 1,000)
   */
  public record EvalDuplicates(
      long comparedWith,
      String method,
      long documents,
      long tokens,
      Map<String, Long> byDomain,
      List<Long> docIds) {}

  /** Selected items, those that are a second or later copy, their tokens, the highest copy. */
  public record Repetition(long items, long repeatedItems, long repeatedTokens, int maxCopy) {}

  /**
   * The output's counts.
   *
   * @param seqLen tokens per row
   * @param tail what happened to the last partial row: drop or pad
   * @param rows rows written
   * @param contentDigest the rows' content digest (hex; README says how to recompute it)
   * @param selectedTokens tokens the selection took (the budget)
   * @param outputTokens tokens written, padding included
   * @param droppedTailTokens selected tokens in the dropped partial last row
   * @param padTokens pad ids written, over all rows
   * @param batchesOf4M the output in training batches of 4M tokens
   * @param packing concat or best-fit
   * @param padShare pad ids as a share of the tokens written
   * @param padShareWithoutTail the same, not counting the partial row
   * @param tailRow the partial row's index when it was written (padded), else -1
   * @param tailTokens data tokens of the partial row, written or dropped
   * @param documentsCut items whose tokens lie in more than one row
   * @param itemsPerRow spans per row on average
   */
  public record Counts(
      int seqLen,
      String tail,
      long rows,
      String contentDigest,
      long selectedTokens,
      long outputTokens,
      long droppedTailTokens,
      long padTokens,
      @JsonProperty("batches_of_4M") double batchesOf4M,
      String packing,
      double padShare,
      double padShareWithoutTail,
      long tailRow,
      long tailTokens,
      long documentsCut,
      double itemsPerRow) {

    /** The counts of {@code o}. */
    public static Counts of(PackOutcome o) {
      return new Counts(
          o.seqLen(),
          o.tail(),
          o.rows(),
          o.contentDigest(),
          o.selectedTokens(),
          o.outputTokens(),
          o.droppedTailTokens(),
          o.padTokens(),
          o.batches(),
          o.layout().mode().cliName(),
          o.layout().padShare(),
          o.layout().padShareWithoutTail(),
          o.layout().tailRow(),
          o.layout().tailTokens(),
          o.layout().documentsCut(),
          o.layout().itemsPerRow());
    }
  }
}
