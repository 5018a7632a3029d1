package dev.longmix.jobs.manifest;

import java.util.List;

/**
 * The evalset stage's manifest body, in the layout the scorer reads (docs/evaluation.md): {@code
 * tokenizer_sha256}, {@code cells} and {@code needle} are the contract; the rest says how the
 * evalset was made.
 *
 * @param tokenizerSha256 the tokenizer of every id in the evalset
 * @param input the tokenized dataset the documents come from
 * @param inputFingerprint its fingerprint
 * @param seed the seed of the cells' and the haystack's keyed order
 * @param pool where the documents come from: a holdout of the input, or all of it
 * @param lengthClasses table5 or fig2
 * @param tokensPerCell each cell's token budget
 * @param maxDocTokens documents longer than this are cut to it
 * @param cells one per (domain, length class), with what it holds and what its pool had
 * @param needle the grid, the texts and the haystack
 * @param files where the tables are
 * @param seconds in-job seconds
 */
public record EvalsetManifest(
    String tokenizerSha256,
    String input,
    String inputFingerprint,
    long seed,
    Pool pool,
    String lengthClasses,
    long tokensPerCell,
    int maxDocTokens,
    List<Cell> cells,
    Needle needle,
    Files files,
    double seconds) {

  public static final String STAGE = "evalset";

  /**
   * The eval pool.
   *
   * @param mode {@code holdout} (a keyed share of the input, recorded for pack) or {@code
   *     whole-input} (a held-out split such as SlimPajama's validation/, nothing recorded)
   * @param fraction the holdout's share of documents (holdout only)
   * @param seed the holdout's seed (holdout only)
   * @param record the holdout record's folder (holdout only)
   * @param recordFingerprint its fingerprint (holdout only)
   * @param documents documents in the pool
   * @param tokens their tokens
   */
  public record Pool(
      String mode,
      Double fraction,
      Long seed,
      String record,
      String recordFingerprint,
      long documents,
      long tokens) {}

  /**
   * One validation cell.
   *
   * @param domain the domain
   * @param lengthClass its length class
   * @param documents documents in the cell
   * @param tokens their tokens (after cuts)
   * @param cutDocuments documents cut to {@code max_doc_tokens}
   * @param targetTokens the cell's budget
   * @param poolDocuments documents of this domain and class in the pool
   * @param poolTokens their tokens (after cuts)
   * @param filled false when the pool could not fill the cell: every document of the pool's cell
   *     went in and the budget was still not met
   */
  public record Cell(
      String domain,
      String lengthClass,
      long documents,
      long tokens,
      long cutDocuments,
      long targetTokens,
      long poolDocuments,
      long poolTokens,
      boolean filled) {}

  /**
   * The needle prompts: the scorer reads the first five fields.
   *
   * @param contextLengths the grid's lengths
   * @param depthsPercent the grid's depths
   * @param needle the needle text
   * @param question the question
   * @param answer what a correct output contains
   * @param questionPrompt the text after the context, {@code {question}} filled in as question_ids
   * @param headIds the ids every prompt starts with (the dataset's BOS)
   * @param needleIds the needle's ids
   * @param prompts rows written
   * @param haystack where the haystack came from
   */
  public record Needle(
      List<Integer> contextLengths,
      List<Double> depthsPercent,
      String needle,
      String question,
      String answer,
      String questionPrompt,
      List<Integer> headIds,
      List<Integer> needleIds,
      long prompts,
      Haystack haystack) {}

  /**
   * The haystack.
   *
   * @param domains the domains it may come from, in order
   * @param documents its documents, in order
   * @param tokens its length once the joined text is tokenized
   * @param poolLongTokens tokens of the pool's long documents of those domains
   */
  public record Haystack(
      List<String> domains, List<HaystackDocument> documents, long tokens, long poolLongTokens) {}

  /** One haystack document. */
  public record HaystackDocument(long docId, String domain, int nTokens) {}

  /** The evalset's files, relative to its folder. */
  public record Files(String validation, String needle, String needleJsonl) {}
}
