package dev.longmix.jobs;

import dev.longmix.jobs.spark.Sessions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** One local[2] SparkSession per test JVM, bound to loopback, quiet. */
public final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  public static synchronized SparkSession get() {
    if (session == null || session.sparkContext().isStopped()) {
      session =
          Sessions.create(
              "longmix-test",
              "local[2]",
              Map.of("spark.sql.shuffle.partitions", "4", "spark.ui.enabled", "false"));
    }
    return session;
  }
}
