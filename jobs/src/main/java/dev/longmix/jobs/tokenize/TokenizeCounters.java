package dev.longmix.jobs.tokenize;

import dev.longmix.jobs.spark.KeyedCounts;
import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Counts a tokenize job keeps while it runs, for progress and reconciliation. Updated only inside
 * the writing (result) stage, where Spark applies each task's updates exactly once.
 */
public final class TokenizeCounters implements Serializable {
  private static final long serialVersionUID = 1L;

  final LongAccumulator read;
  final LongAccumulator documents;
  final LongAccumulator rejected;
  final LongAccumulator tokens;
  final LongAccumulator files;
  final LongAccumulator bytes;
  // Words looked up in the tokenizer's word memo, and those found there (informational).
  final LongAccumulator words;
  final LongAccumulator wordsMemoized;
  // Per domain: documents, tokens, chars (the manifest's breakdown; checked against the footers).
  final KeyedCounts domains;
  final CollectionAccumulator<Integer> filesWithRejects;
  final CollectionAccumulator<RejectRecord> tokenizerErrors;

  public TokenizeCounters(SparkContext sc) {
    read = sc.longAccumulator("longmix.records.read");
    documents = sc.longAccumulator("longmix.documents");
    rejected = sc.longAccumulator("longmix.rejected");
    tokens = sc.longAccumulator("longmix.tokens");
    files = sc.longAccumulator("longmix.files");
    bytes = sc.longAccumulator("longmix.bytes.read");
    words = sc.longAccumulator("longmix.words");
    wordsMemoized = sc.longAccumulator("longmix.words.memoized");
    domains = KeyedCounts.register(sc, "longmix.domains", 3);
    filesWithRejects = sc.collectionAccumulator("longmix.files.with.rejects");
    tokenizerErrors = sc.collectionAccumulator("longmix.tokenizer.errors");
  }

  public long read() {
    return read.value();
  }

  public long documents() {
    return documents.value();
  }

  public long rejected() {
    return rejected.value();
  }

  public long tokens() {
    return tokens.value();
  }

  public long words() {
    return words.value();
  }

  public long wordsMemoized() {
    return wordsMemoized.value();
  }

  /** Counts one written document of {@code domain}. */
  void document(String domain, int tokens, int chars) {
    documents.add(1);
    this.tokens.add(tokens);
    domains.add(domain, 1, tokens, chars);
  }

  public long files() {
    return files.value();
  }
}
