package dev.longmix.jobs;

import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.manifest.TokenizeManifest;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.tokenize.TokenizeConfig;
import dev.longmix.jobs.tokenize.TokenizeJob;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** {@code longmix tokenize}: validate, then run stage 1 (or report it is already done). */
final class TokenizeCommand {
  private TokenizeCommand() {}

  static int run(Settings s, PrintStream out) {
    TokenizeConfig cfg = TokenizeConfig.from(s, HadoopConf.fromSparkConf(s.sparkConf()));
    Stage<TokenizeJob.Result> stage = stage(cfg);
    if (StageRunner.upToDate(stage, s, out)) {
      return ExitCode.OK;
    }
    out.printf(
        Locale.ROOT,
        "[tokenize] %d files from %s, tokenizer %s (sha256 %s…)%n",
        cfg.files().size(),
        cfg.input(),
        cfg.tokenizer().origin(),
        cfg.tokenizer().sha256().substring(0, 12));
    return StageRunner.alone(stage, s, out);
  }

  /** The tokenize stage of {@code cfg}: exit 3 when too many records were rejected. */
  static Stage<TokenizeJob.Result> stage(TokenizeConfig cfg) {
    return new Stage<>(
        "tokenize",
        cfg.output(),
        cfg.fingerprint(),
        (spark, out) -> TokenizeJob.run(spark, cfg, out),
        (r, out) -> report(r, cfg, out));
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
    TokenizeManifest m = r.manifest();
    for (Map.Entry<String, TokenizeManifest.DomainCounts> e : m.domains().entrySet()) {
      out.printf(
          Locale.ROOT,
          "  %-24s %,10d docs %,14d tokens%n",
          e.getKey(),
          e.getValue().documents(),
          e.getValue().tokens());
    }
    if (!m.rejectReasons().isEmpty()) {
      out.println("  rejected by reason: " + m.rejectReasons());
    }
    if (m.wordMemo() != null) {
      out.printf(
          Locale.ROOT,
          "  %.1f%% of %,d words came from the word memo, the rest from the native tokenizer%n",
          100 * m.wordMemo().memoizedFraction(),
          m.wordMemo().words());
    }
    out.println("[tokenize] wrote " + cfg.output() + " (rejects in " + m.rejectsPath() + ")");
    if (!r.acceptedRejectFraction()) {
      out.printf(
          Locale.ROOT,
          "[tokenize] FAILED: %.2f%% of records were rejected, above --max-reject-fraction %s;"
              + " see %s%n",
          100.0 * r.rejected() / Math.max(1, r.read()),
          cfg.maxRejectFraction(),
          m.rejectsPath());
      return ExitCode.TOO_MANY_REJECTS;
    }
    return ExitCode.OK;
  }
}
