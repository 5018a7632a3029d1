package dev.longmix.jobs;

import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.histogram.HistogramConfig;
import dev.longmix.jobs.histogram.HistogramJob;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.spark.Sessions;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/** {@code longmix histogram}: validate, then run stage 2a (or report it is already done). */
final class HistogramCommand {
  private HistogramCommand() {}

  static int run(Settings s, PrintStream out) {
    HistogramConfig cfg = HistogramConfig.from(s, HadoopConf.fromSparkConf(s.sparkConf()));
    long progressSeconds = s.nonNegativeLong("progress-interval");
    if (OutputGuard.upToDate(
        HadoopConf.fromSparkConf(s.sparkConf()),
        "histogram",
        cfg.output(),
        cfg.fingerprint(),
        s.flag("force"),
        s.flag("overwrite"),
        out)) {
      return ExitCode.OK;
    }
    SparkSession spark =
        Sessions.create(
            "longmix histogram",
            s.string("master"),
            s.sparkConf(),
            java.util.List.of(cfg.output()));
    try {
      HistogramJob.run(spark, cfg, out, progressSeconds);
      out.println("[histogram] wrote " + cfg.output());
      return ExitCode.OK;
    } finally {
      spark.stop();
    }
  }
}
