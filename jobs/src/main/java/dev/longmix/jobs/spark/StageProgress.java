package dev.longmix.jobs.spark;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.SparkSession;

/**
 * Progress for stages without a natural unit of their own (histogram, pack): Spark's tasks done and
 * running in the active Spark stages, from the status tracker, at the same cadence as tokenize's.
 */
public final class StageProgress {
  private StageProgress() {}

  public static Progress start(
      SparkSession spark, String stage, long intervalSeconds, PrintStream out) {
    SparkStatusTracker tracker = spark.sparkContext().statusTracker();
    return new Progress(
        stage,
        intervalSeconds,
        () -> {
          long done = 0;
          long running = 0;
          long total = 0;
          for (int id : tracker.getActiveStageIds()) {
            scala.Option<SparkStageInfo> info = tracker.getStageInfo(id);
            if (info.isDefined()) {
              done += info.get().numCompletedTasks();
              running += info.get().numActiveTasks();
              total += info.get().numTasks();
            }
          }
          return String.format(
              Locale.ROOT,
              "Spark tasks in the current step: %d done, %d running of %d",
              done,
              running,
              total);
        },
        null, // a stage runs several Spark jobs; one job's share done is no estimate of the rest
        out);
  }
}
