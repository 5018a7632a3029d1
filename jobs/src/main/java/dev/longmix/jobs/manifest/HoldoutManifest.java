package dev.longmix.jobs.manifest;

import java.util.Map;

/**
 * The manifest body of a holdout record ({@code TOKENIZED/_holdout/}): which documents of a
 * tokenized dataset are its eval pool, so that every pack of it leaves them out. The documents
 * themselves are listed in {@code documents.parquet} beside it.
 *
 * @param input the tokenized dataset
 * @param inputFingerprint its fingerprint: the record holds for this dataset only
 * @param tokenizerSha256 the dataset's tokenizer
 * @param seed the holdout's seed
 * @param fraction the share of documents held out
 * @param rule the membership rule in words
 * @param documents documents held out
 * @param tokens their tokens
 * @param domains documents and tokens held out per domain
 * @param file the list of held-out documents: doc_id, domain, n_tokens, ids_hash
 * @param idsHash how ids_hash is computed
 * @param seconds in-job seconds
 */
public record HoldoutManifest(
    String input,
    String inputFingerprint,
    String tokenizerSha256,
    long seed,
    double fraction,
    String rule,
    long documents,
    long tokens,
    Map<String, DomainCounts> domains,
    String file,
    String idsHash,
    double seconds) {

  public static final String STAGE = "holdout";

  /** One domain's held-out documents and tokens. */
  public record DomainCounts(long documents, long tokens) {}
}
