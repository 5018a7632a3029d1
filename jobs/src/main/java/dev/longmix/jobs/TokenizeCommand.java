package dev.longmix.jobs;

import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.spark.Sessions;
import dev.longmix.jobs.tokenize.TokenizeConfig;
import dev.longmix.jobs.tokenize.TokenizeJob;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** {@code longmix tokenize}: validate, then run stage 1 (or report it is already done). */
final class TokenizeCommand {
  private TokenizeCommand() {}

  static int run(Settings s, PrintStream out) {
    TokenizeConfig cfg = TokenizeConfig.from(s, HadoopConf.fromSparkConf(s.sparkConf()));
    if (OutputGuard.upToDate(
        HadoopConf.fromSparkConf(s.sparkConf()),
        "tokenize",
        cfg.output(),
        cfg.fingerprint(),
        s.flag("force"),
        s.flag("overwrite"),
        out)) {
      return ExitCode.OK;
    }
    out.printf(
        Locale.ROOT,
        "[tokenize] %d files from %s, tokenizer %s (sha256 %s…)%n",
        cfg.files().size(),
        cfg.input(),
        cfg.tokenizer().origin(),
        cfg.tokenizer().sha256().substring(0, 12));
    SparkSession spark =
        Sessions.create(
            "longmix tokenize", s.string("master"), s.sparkConf(), List.of(cfg.output()));
    try {
      return report(TokenizeJob.run(spark, cfg, out), cfg, out);
    } finally {
      spark.stop();
    }
  }

  static int report(TokenizeJob.Result r, TokenizeConfig cfg, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "[tokenize] read %,d = tokenized %,d + rejected %,d; %,d tokens in %.1fs (%,.0f tokens/s)%n",
        r.read(),
        r.documents(),
        r.rejected(),
        r.tokens(),
        r.seconds(),
        r.tokens() / Math.max(r.seconds(), 1e-9));
    for (Map.Entry<String, Map<String, Long>> e : r.domains().entrySet()) {
      out.printf(
          Locale.ROOT,
          "  %-24s %,10d docs %,14d tokens%n",
          e.getKey(),
          e.getValue().get("documents"),
          e.getValue().get("tokens"));
    }
    if (!r.rejectReasons().isEmpty()) {
      out.println("  rejected by reason: " + r.rejectReasons());
    }
    if (r.manifest().get("word_memo") instanceof Map<?, ?> memo) {
      out.printf(
          Locale.ROOT,
          "  %.1f%% of %,d words came from the word memo, the rest from the native tokenizer%n",
          100 * ((Number) memo.get("memoized_fraction")).doubleValue(),
          ((Number) memo.get("words")).longValue());
    }
    out.println("[tokenize] wrote " + cfg.output() + " (rejects in " + cfg.output() + "/_rejects)");
    if (!r.acceptedRejectFraction()) {
      out.printf(
          Locale.ROOT,
          "[tokenize] FAILED: %.2f%% of records were rejected, above --max-reject-fraction %s;"
              + " see %s/_rejects%n",
          100.0 * r.rejected() / Math.max(1, r.read()),
          cfg.maxRejectFraction(),
          cfg.output());
      return ExitCode.TOO_MANY_REJECTS;
    }
    return ExitCode.OK;
  }
}
