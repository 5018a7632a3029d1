package dev.longmix.jobs;

import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.export.ExportConfig;
import dev.longmix.jobs.export.ExportJob;
import dev.longmix.jobs.spark.HadoopConf;
import java.io.PrintStream;

/** {@code longmix export}: validate, then write the packed rows in another trainer's format. */
final class ExportCommand {
  private ExportCommand() {}

  static int run(Settings s, PrintStream out) {
    ExportConfig cfg = ExportConfig.from(s, HadoopConf.fromSparkConf(s.sparkConf()));
    return StageRunner.alone(
        Stage.of(
            "export", cfg.output(), cfg.fingerprint(), (spark, o) -> ExportJob.run(spark, cfg, o)),
        s,
        out);
  }
}
