package dev.longmix.jobs.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Prints a stage's progress at a steady interval from a background thread: what the stage says it
 * has done, the elapsed time and an estimate of the time left from the fraction done.
 */
public final class Progress implements AutoCloseable {
  /** Seconds between progress lines unless --progress-interval says otherwise. */
  public static final long INTERVAL_SECONDS_DEFAULT = 10;

  private final Thread thread;
  private final long startNanos = System.nanoTime();
  private volatile boolean stopped;

  /**
   * @param status the stage's own words for what is done so far (counts, rates)
   * @param fractionDone between 0 and 1, for the time-left estimate; null when the stage cannot
   *     tell (then only the elapsed time is printed)
   */
  public Progress(
      String stage,
      long intervalSeconds,
      Supplier<String> status,
      DoubleSupplier fractionDone,
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
                if (!stopped) {
                  out.println(
                      fractionDone == null
                          ? String.format(
                              Locale.ROOT,
                              "[%s] %s, elapsed %s",
                              stage,
                              status.get(),
                              formatDuration(elapsedSeconds()))
                          : line(stage, status.get(), fractionDone.getAsDouble()));
                }
              }
            },
            "longmix-progress");
    thread.setDaemon(true);
    if (intervalSeconds > 0) {
      thread.start();
    }
  }

  /** Seconds since this progress started. */
  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  String line(String stage, String status, double fraction) {
    double secs = elapsedSeconds();
    String left =
        fraction <= 0 ? "?" : formatDuration(secs * (1 - Math.min(fraction, 1)) / fraction);
    return String.format(
        Locale.ROOT,
        "[%s] %s, %.0f%% done, elapsed %s, left ~%s",
        stage,
        status,
        100 * Math.min(fraction, 1),
        formatDuration(secs),
        left);
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
