package dev.longmix.jobs;

import dev.longmix.common.plan.InfeasiblePlanException;
import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.pack.PackConfig;
import dev.longmix.jobs.pack.PackJob;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.spark.Sessions;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

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
    out.print(cfg.plan().toTable(cfg.packing().seqLen(), 4_000_000));
    if (cfg.dryRun()) {
      return ExitCode.OK;
    }
    if (OutputGuard.upToDate(
        HadoopConf.fromSparkConf(s.sparkConf()),
        "pack",
        cfg.output(),
        cfg.fingerprint(),
        s.flag("force"),
        s.flag("overwrite"),
        out)) {
      return ExitCode.OK;
    }
    SparkSession spark =
        Sessions.create(
            "longmix pack", s.string("master"), s.sparkConf(), java.util.List.of(cfg.output()));
    try {
      PackJob.run(spark, cfg, out);
      out.println("[pack] wrote " + cfg.output());
      return ExitCode.OK;
    } finally {
      spark.stop();
    }
  }
}
