package dev.longmix.jobs.reliability;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;

/**
 * Registered with {@code spark.extraListeners}: Spark instantiates it when a SparkContext starts,
 * so a count of zero proves a command stopped before starting Spark.
 */
public final class SparkStarts extends SparkListener {
  static final AtomicInteger COUNT = new AtomicInteger();

  public SparkStarts() {
    COUNT.incrementAndGet();
  }
}
