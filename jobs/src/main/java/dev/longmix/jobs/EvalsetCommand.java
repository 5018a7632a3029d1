package dev.longmix.jobs;

import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.evalset.EvalsetConfig;
import dev.longmix.jobs.evalset.EvalsetJob;
import dev.longmix.jobs.manifest.EvalsetManifest;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.OutputGuard;
import java.io.PrintStream;
import java.util.Locale;

/** {@code longmix evalset}: validate, then build the evalset (or report it is already done). */
final class EvalsetCommand {
  private EvalsetCommand() {}

  static int run(Settings s, PrintStream out) {
    EvalsetConfig cfg = EvalsetConfig.from(s, HadoopConf.fromSparkConf(s.sparkConf()));
    Stage<EvalsetJob.Result> stage = stage(cfg);
    if (cfg.writesHoldout()) {
      // The holdout record is missing or another one replaces it: run even when the evalset itself
      // is complete, so that packs see the record (someone else's output is still refused).
      OutputGuard.decide(
          HadoopConf.fromSparkConf(s.sparkConf()),
          "output",
          cfg.output(),
          cfg.fingerprint(),
          true,
          s.flag("overwrite"));
      return StageRunner.inSession(
          "longmix evalset",
          s,
          java.util.List.of(cfg.output()),
          spark -> StageRunner.run(spark, stage, out));
    }
    return StageRunner.alone(stage, s, out);
  }

  /** The evalset stage of {@code cfg}. */
  static Stage<EvalsetJob.Result> stage(EvalsetConfig cfg) {
    return new Stage<>(
        "evalset",
        cfg.output(),
        cfg.fingerprint(),
        (spark, out) -> EvalsetJob.run(spark, cfg, out),
        (r, out) -> report(r.manifest(), cfg.output(), out));
  }

  /** The cells' table, the cells the pool could not fill, and where everything went. */
  static int report(EvalsetManifest m, String output, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "  %-24s %-9s %9s %13s %13s %6s%n",
        "domain",
        "class",
        "documents",
        "tokens",
        "of target",
        "cut");
    int short_ = 0;
    for (EvalsetManifest.Cell c : m.cells()) {
      out.printf(
          Locale.ROOT,
          "  %-24s %-9s %,9d %,13d %,13d %,6d%s%n",
          c.domain(),
          c.lengthClass(),
          c.documents(),
          c.tokens(),
          c.targetTokens(),
          c.cutDocuments(),
          c.filled() ? "" : "  the pool has no more (" + c.poolDocuments() + " documents)");
      short_ += c.filled() ? 0 : 1;
    }
    if (short_ > 0) {
      out.printf(
          Locale.ROOT,
          "[evalset] note: %d of %d cells hold less than --tokens-per-cell: the eval pool has no"
              + " more documents of that domain and length%s%n",
          short_,
          m.cells().size(),
          m.pool().mode().equals("holdout") ? " (a larger --holdout-fraction holds out more)" : "");
    }
    EvalsetManifest.Needle n = m.needle();
    out.printf(
        Locale.ROOT,
        "[evalset] needle: %d prompts (%d context lengths %,d..%,d x %d depths), haystack of %d"
            + " documents%n",
        n.prompts(),
        n.contextLengths().size(),
        n.contextLengths().stream().mapToInt(Integer::intValue).min().orElse(0),
        n.contextLengths().stream().mapToInt(Integer::intValue).max().orElse(0),
        n.depthsPercent().size(),
        n.haystack().documents().size());
    out.println(
        "[evalset] wrote " + output + " (validation/, needle/, needle.jsonl, _manifest.json)");
    return ExitCode.OK;
  }
}
