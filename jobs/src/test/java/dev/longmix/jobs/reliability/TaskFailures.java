package dev.longmix.jobs.reliability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Registered with {@code spark.extraListeners}: records every task that did not succeed, so a test
 * can prove the failures it injected really happened (and were retried).
 */
public final class TaskFailures extends SparkListener {
  static final List<String> FAILED = new CopyOnWriteArrayList<>();

  /** Executor id → when (System.nanoTime) its first task started. */
  static final Map<String, Long> FIRST_TASK = new ConcurrentHashMap<>();

  public TaskFailures() {}

  @Override
  public void onTaskStart(SparkListenerTaskStart start) {
    FIRST_TASK.putIfAbsent(start.taskInfo().executorId(), System.nanoTime());
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.reason() != Success$.MODULE$) {
      FAILED.add(
          "stage "
              + end.stageId()
              + " partition "
              + end.taskInfo().partitionId()
              + " attempt "
              + end.taskInfo().attemptNumber()
              + ": "
              + end.reason().toString().lines().findFirst().orElse(""));
    }
  }
}
