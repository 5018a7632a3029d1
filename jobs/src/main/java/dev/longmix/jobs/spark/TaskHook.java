package dev.longmix.jobs.spark;

import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;

/**
 * The one hook every task of every stage runs through: a partition function wrapped here reads its
 * input through {@link FailureInjection}, so the test-only setting {@value FailureInjection#KEY}
 * can fail the first attempt of any task of a stage, whichever pass it belongs to. Unset, the input
 * is handed over untouched.
 */
public final class TaskHook {
  private TaskHook() {}

  /** {@code f} for the tasks of {@code stage}. */
  public static <T, R> FlatMapFunction<Iterator<T>, R> wrap(
      String stage, FlatMapFunction<Iterator<T>, R> f) {
    return new Wrapped<>(stage, f);
  }

  /** {@code f}, which also takes the partition index, for the tasks of {@code stage}. */
  public static <T, R> Function2<Integer, Iterator<T>, Iterator<R>> wrapIndexed(
      String stage, Function2<Integer, Iterator<T>, Iterator<R>> f) {
    return new WrappedIndexed<>(stage, f);
  }

  private record Wrapped<T, R>(String stage, FlatMapFunction<Iterator<T>, R> f)
      implements FlatMapFunction<Iterator<T>, R> {
    @Override
    public Iterator<R> call(Iterator<T> input) throws Exception {
      return f.call(FailureInjection.wrap(stage, input));
    }
  }

  private record WrappedIndexed<T, R>(String stage, Function2<Integer, Iterator<T>, Iterator<R>> f)
      implements Function2<Integer, Iterator<T>, Iterator<R>> {
    @Override
    public Iterator<R> call(Integer index, Iterator<T> input) throws Exception {
      return f.call(index, FailureInjection.wrap(stage, input));
    }
  }
}
