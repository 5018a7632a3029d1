package dev.longmix.jobs.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;

/**
 * Accumulator values including tasks still running. A driver-side accumulator only moves when a
 * task ends, which for a task that reads a whole corpus file can be minutes; executors report their
 * running tasks' values with every heartbeat, and this listener keeps the latest of them.
 */
public final class LiveCounters extends SparkListener implements AutoCloseable {
  private final SparkContext sc;
  private final Map<Long, Map<Long, Long>> running = new ConcurrentHashMap<>();

  public LiveCounters(SparkContext sc) {
    this.sc = sc;
    sc.addSparkListener(this);
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
    // Scala's own iterators: the same code compiles on both lines (Scala 2.13's immutable.Seq and
    // 2.12's collection.Seq), without either's Java converters.
    var updates = e.accumUpdates().iterator();
    while (updates.hasNext()) {
      var t = updates.next();
      long taskId = (Long) t._1();
      var infos = t._4().iterator();
      while (infos.hasNext()) {
        AccumulableInfo a = infos.next();
        if (a.update().isDefined() && a.update().get() instanceof Number n) {
          running
              .computeIfAbsent(taskId, k -> new ConcurrentHashMap<>())
              .put(a.id(), n.longValue());
        }
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    running.remove(e.taskInfo().taskId());
  }

  /** Finished tasks' total plus the last reported value of every running task. */
  public long value(LongAccumulator acc) {
    long v = acc.value();
    for (Map<Long, Long> task : running.values()) {
      v += task.getOrDefault(acc.id(), 0L);
    }
    return v;
  }

  @Override
  public void close() {
    sc.removeSparkListener(this);
  }
}
