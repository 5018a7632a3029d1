package dev.longmix.jobs;

import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/**
 * One stage of the pipeline as a command runs it, its settings already validated: where it writes,
 * for which inputs and settings, the job, and how its result becomes a summary and an exit code.
 *
 * @param name the stage's name, as in its messages ({@code tokenize}, {@code pack}, ...)
 * @param output where it writes
 * @param fingerprint f(inputs, settings) of that output
 * @param job the Spark job, returning its typed result
 * @param report prints the result's summary and returns the exit code
 */
record Stage<R>(String name, String output, String fingerprint, Job<R> job, Report<R> report) {

  /** The stage's Spark job. */
  @FunctionalInterface
  interface Job<R> {
    R run(SparkSession spark, PrintStream out);
  }

  /** The stage's summary and exit code. */
  @FunctionalInterface
  interface Report<R> {
    int exitCode(R result, PrintStream out);
  }

  /** A stage whose result needs no summary beyond the job's own: exit 0 once it returns. */
  static <R> Stage<R> of(String name, String output, String fingerprint, Job<R> job) {
    return new Stage<>(
        name,
        output,
        fingerprint,
        job,
        (r, out) -> {
          out.println("[" + name + "] wrote " + output);
          return ExitCode.OK;
        });
  }
}
