package dev.longmix.jobs.manifest;

import java.util.List;
import java.util.Map;

/**
 * The tokenize stage's manifest body: what was read, what came out, per domain and per reject
 * reason, and how fast. The counts reconcile: {@code read = documents + rejected}.
 *
 * @param tokenizer where the tokenizer came from and its SHA-256 ({@code spec}, {@code origin},
 *     {@code sha256})
 * @param input the corpus read
 * @param counts the totals
 * @param domains documents, tokens and characters per domain
 * @param rejectReasons rejected records per reason
 * @param rejectsPath where the rejects dataset is
 * @param timing in-job seconds and rate
 * @param wordMemo the word memo's share of words, when the tokenizer has one (else null)
 */
public record TokenizeManifest(
    Tokenizer tokenizer,
    Input input,
    Counts counts,
    Map<String, DomainCounts> domains,
    Map<String, Long> rejectReasons,
    String rejectsPath,
    Timing timing,
    WordMemo wordMemo) {

  public static final String STAGE = "tokenize";

  /** The tokenizer file: as given, where it was read from, and its hash. */
  public record Tokenizer(String spec, String origin, String sha256) {}

  /**
   * The corpus: its path (for named sources, the {@code --input} values), files and compressed
   * bytes, and the named sources, each with its files and bytes (null for an unnamed corpus).
   */
  public record Input(String path, long files, long bytes, List<Source> sources) {}

  /** A named source: its name (the domain of all its records), path, files and bytes. */
  public record Source(String name, String path, long files, long bytes) {}

  /** Records read, documents written, records rejected, tokens, and the reject limit. */
  public record Counts(
      long read,
      long documents,
      long rejected,
      long tokens,
      double rejectFraction,
      double maxRejectFraction) {}

  /** One domain's documents, tokens and characters. */
  public record DomainCounts(long documents, long tokens, long chars) {}

  /** In-job seconds, tokens per second, and the cores Spark had. */
  public record Timing(double seconds, long tokensPerSecond, int cores) {}

  /** Words seen, words the memo supplied, and their share. */
  public record WordMemo(long words, long memoized, double memoizedFraction) {}
}
