package dev.longmix.jobs;

import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.histogram.HistogramConfig;
import dev.longmix.jobs.histogram.HistogramJob;
import dev.longmix.jobs.spark.HadoopConf;
import java.io.PrintStream;

/** {@code longmix histogram}: validate, then run stage 2a (or report it is already done). */
final class HistogramCommand {
  private HistogramCommand() {}

  static int run(Settings s, PrintStream out) {
    HistogramConfig cfg = HistogramConfig.from(s, HadoopConf.fromSparkConf(s.sparkConf()));
    return StageRunner.alone(stage(cfg, s.nonNegativeLong("progress-interval")), s, out);
  }

  /** The histogram stage of {@code cfg}, printing progress every {@code progressSeconds}. */
  static Stage<HistogramJob.Result> stage(HistogramConfig cfg, long progressSeconds) {
    return Stage.of(
        "histogram",
        cfg.output(),
        cfg.fingerprint(),
        (spark, out) -> HistogramJob.run(spark, cfg, out, progressSeconds));
  }
}
