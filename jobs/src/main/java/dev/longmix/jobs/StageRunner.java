package dev.longmix.jobs;

import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.spark.Sessions;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * How every command runs its stages: an output complete for the same fingerprint is skipped (unless
 * {@code --force}), someone else's output is refused (unless {@code --overwrite}), before any
 * SparkSession exists; then one session, the stage's job, its summary and exit code, and the
 * session stopped whatever happened.
 */
final class StageRunner {
  private StageRunner() {}

  /** Runs {@code stage} as a command of its own. */
  static <R> int alone(Stage<R> stage, Settings s, PrintStream out) {
    if (upToDate(stage, s, out)) {
      return ExitCode.OK;
    }
    return inSession(
        "longmix " + stage.name(), s, List.of(stage.output()), spark -> run(spark, stage, out));
  }

  /** Whether {@code stage}'s output is complete for its fingerprint; says so when it is. */
  static boolean upToDate(Stage<?> stage, Settings s, PrintStream out) {
    return OutputGuard.upToDate(
        HadoopConf.fromSparkConf(s.sparkConf()),
        stage.name(),
        stage.output(),
        stage.fingerprint(),
        s.flag("force"),
        s.flag("overwrite"),
        out);
  }

  /** Runs {@code stage} in {@code spark} and returns its exit code. */
  static <R> int run(SparkSession spark, Stage<R> stage, PrintStream out) {
    return stage.report().exitCode(stage.job().run(spark, out), out);
  }

  /** What runs inside a session and returns an exit code. */
  @FunctionalInterface
  interface InSession {
    int run(SparkSession spark);
  }

  /** One session for {@code body}, on the command's master and settings, stopped afterwards. */
  static int inSession(String app, Settings s, List<String> outputs, InSession body) {
    SparkSession spark = Sessions.create(app, s.string("master"), s.sparkConf(), outputs);
    try {
      return body.run(spark);
    } finally {
      spark.stop();
    }
  }
}
