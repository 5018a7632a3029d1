package dev.longmix.jobs.evalset;

import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.histogram.HistogramConfig;
import dev.longmix.jobs.histogram.HistogramJob;
import dev.longmix.jobs.tokenize.TokenizeConfig;
import dev.longmix.jobs.tokenize.TokenizeJob;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Stages run in the test's session, and the tokenized documents read back. */
final class EvalsetFixtures {
  static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  private EvalsetFixtures() {}

  /** A tokenized document as the test reads it. */
  record Doc(long docId, String domain, int[] ids) {}

  /** Tokenizes {@code corpus} into {@code out}; returns the config (its fingerprint). */
  static TokenizeConfig tokenize(SparkSession spark, Path corpus, Path out, Path tokenizer) {
    TokenizeConfig tok =
        TokenizeConfig.from(
            Settings.parse(
                TokenizeConfig.spec(),
                "--input",
                corpus.toString(),
                "--output",
                out.toString(),
                "--tokenizer",
                tokenizer.toString(),
                "--progress-interval",
                "0"),
            spark.sparkContext().hadoopConfiguration());
    TokenizeJob.run(spark, tok, QUIET);
    return tok;
  }

  static void histogram(SparkSession spark, TokenizeConfig tok, Path out) {
    HistogramJob.run(
        spark,
        HistogramConfig.of(tok.output(), out.toString(), 4096, tok.fingerprint(), Map.of()),
        QUIET);
  }

  /** The evalset command's settings, run in {@code spark}. */
  static EvalsetJob.Result evalset(SparkSession spark, PrintStream out, String... args) {
    EvalsetConfig cfg =
        EvalsetConfig.from(
            Settings.parse(EvalsetConfig.spec(), args), spark.sparkContext().hadoopConfiguration());
    return EvalsetJob.run(spark, cfg, out);
  }

  /** Every document of a tokenized dataset, by doc id. */
  static Map<Long, Doc> documents(SparkSession spark, String tokenized) {
    Map<Long, Doc> out = new HashMap<>();
    for (Row r :
        spark.read().parquet(tokenized).select("doc_id", "domain", "input_ids").collectAsList()) {
      out.put(r.getLong(0), new Doc(r.getLong(0), r.getString(1), ints(r.getList(2))));
    }
    return out;
  }

  static int[] ints(List<Integer> l) {
    return l.stream().mapToInt(Integer::intValue).toArray();
  }
}
