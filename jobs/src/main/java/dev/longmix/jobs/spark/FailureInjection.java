package dev.longmix.jobs.spark;

import java.util.Iterator;
import java.util.Locale;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * Test-only fault injection: with {@code spark.longmix.test.failFirstAttempt=tokenize:0,pack:1} the
 * first attempt of the named stage's task for that partition throws after it has yielded one row
 * (or, for an empty partition, when it ends), so retries, accumulator bookkeeping and committers
 * are exercised with partial work done. Unset (the default) it returns the iterator untouched.
 */
public final class FailureInjection {
  public static final String KEY = "spark.longmix.test.failFirstAttempt";

  private FailureInjection() {}

  /** Thrown by an injected failure. */
  public static final class InjectedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFailure(String message) {
      super(message);
    }
  }

  public static <T> Iterator<T> wrap(String stage, Iterator<T> rows) {
    TaskContext tc = TaskContext.get();
    SparkEnv env = SparkEnv.get();
    if (tc == null || env == null || tc.attemptNumber() != 0) {
      return rows;
    }
    String spec = env.conf().get(KEY, "");
    if (spec.isBlank() || !matches(spec, stage, tc.partitionId())) {
      return rows;
    }
    String message =
        String.format(
            Locale.ROOT,
            "injected failure (%s=%s): stage %s, partition %d, attempt 0",
            KEY,
            spec,
            stage,
            tc.partitionId());
    return new Iterator<>() {
      private int yielded;

      @Override
      public boolean hasNext() {
        boolean has = rows.hasNext();
        if (yielded >= 1 || !has) {
          throw new InjectedFailure(message);
        }
        return true;
      }

      @Override
      public T next() {
        hasNext();
        yielded++;
        return rows.next();
      }
    };
  }

  static boolean matches(String spec, String stage, int partition) {
    for (String item : spec.split(",")) {
      String[] kv = item.trim().split(":");
      if (kv.length == 2
          && kv[0].trim().equals(stage)
          && kv[1].trim().equals(Integer.toString(partition))) {
        return true;
      }
    }
    return false;
  }
}
