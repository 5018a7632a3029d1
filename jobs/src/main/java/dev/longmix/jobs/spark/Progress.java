package dev.longmix.jobs.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Prints a stage's progress at a steady interval from a background thread: work done, rate and an
 * estimate of the time left, from counters that Spark updates as tasks finish.
 */
public final class Progress implements AutoCloseable {
  private final Thread thread;
  private final long startNanos = System.nanoTime();
  private volatile boolean stopped;

  /**
   * @param done units of work finished so far (e.g. files), for the time-left estimate
   * @param total units in all
   * @param tokens tokens produced so far
   */
  public Progress(
      String stage,
      long intervalSeconds,
      LongSupplier done,
      long total,
      String unit,
      LongSupplier tokens,
      PrintStream out) {
    thread =
        new Thread(
            () -> {
              while (!stopped) {
                try {
                  Thread.sleep(intervalSeconds * 1000);
                } catch (InterruptedException e) {
                  return;
                }
                if (stopped) {
                  return;
                }
                out.println(line(stage, done.getAsLong(), total, unit, tokens.getAsLong()));
              }
            },
            "longmix-progress");
    thread.setDaemon(true);
    if (intervalSeconds > 0) {
      thread.start();
    }
  }

  String line(String stage, long done, long total, String unit, long tokens) {
    double secs = (System.nanoTime() - startNanos) / 1e9;
    double rate = tokens / Math.max(secs, 1e-9);
    String eta = done == 0 ? "?" : formatDuration(secs * (total - done) / Math.max(done, 1));
    return String.format(
        Locale.ROOT,
        "[%s] %d/%d %s, %,d tokens, %,.0f tokens/s, elapsed %s, left ~%s",
        stage,
        done,
        total,
        unit,
        tokens,
        rate,
        formatDuration(secs),
        eta);
  }

  public static String formatDuration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
    }
    return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }
}
