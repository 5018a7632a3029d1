package dev.longmix.jobs;

import dev.longmix.common.plan.InfeasiblePlanException;
import dev.longmix.common.plan.Plan;
import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.pack.PackConfig;
import dev.longmix.jobs.pack.PackJob;
import dev.longmix.jobs.spark.HadoopConf;
import java.io.PrintStream;

/** {@code longmix pack}: plan (print it), then select and pack (or report it is done). */
final class PackCommand {
  private PackCommand() {}

  static int run(Settings s, PrintStream out) {
    PackConfig cfg;
    try {
      cfg = PackConfig.from(s, HadoopConf.fromSparkConf(s.sparkConf()));
    } catch (InfeasiblePlanException e) {
      return PlanCommand.infeasible(e, out);
    }
    out.print(cfg.plan().toTable(cfg.packing().seqLen(), Plan.BATCH_TOKENS_DEFAULT));
    if (cfg.dryRun()) {
      return ExitCode.OK;
    }
    return StageRunner.alone(stage(cfg), s, out);
  }

  /** The pack stage of {@code cfg}. */
  static Stage<PackJob.Result> stage(PackConfig cfg) {
    return Stage.of(
        "pack", cfg.output(), cfg.fingerprint(), (spark, out) -> PackJob.run(spark, cfg, out));
  }
}
