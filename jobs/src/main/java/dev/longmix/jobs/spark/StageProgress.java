package dev.longmix.jobs.spark;

import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.LongAccumulator;

/**
 * Progress of the stages that read a tokenized dataset (histogram, pack): documents (or rows) and
 * tokens done in each of the stage's passes over the data, the current rate, and a time-left
 * estimate from the share of the stage's work done. Counts come from accumulators that each row
 * adds to as it goes through a pass (one add per row, nothing per token), read live through {@link
 * LiveCounters}; totals are known before the stage starts (the tokenized input's manifest, or the
 * histogram the plan was made from).
 */
public final class StageProgress implements AutoCloseable {
  private final List<Pass> passes = new ArrayList<>();
  private final String stage;
  private final long intervalSeconds;
  private final PrintStream out;
  private final SparkStatusTracker tracker;
  private final LiveCounters live;
  private final SparkSession spark;
  private Progress progress;
  private long lastNanos = System.nanoTime();
  private long lastTokens;

  private StageProgress(SparkSession spark, String stage, long intervalSeconds, PrintStream out) {
    this.spark = spark;
    this.stage = stage;
    this.intervalSeconds = intervalSeconds;
    this.out = out;
    this.tracker = spark.sparkContext().statusTracker();
    this.live = new LiveCounters(spark.sparkContext());
  }

  /** A progress for {@code stage}; add its passes, then {@link #start()} it. */
  public static StageProgress create(
      SparkSession spark, String stage, long intervalSeconds, PrintStream out) {
    return new StageProgress(spark, stage, intervalSeconds, out);
  }

  /**
   * One pass over the data.
   *
   * @param name printed before the pass's counts (empty for a stage of one pass)
   * @param unit what a row of the pass is ("documents", "rows")
   * @param totalItems rows the pass will see; negative when unknown
   * @param totalTokens tokens the pass will see; negative when unknown
   * @param weight the pass's share of the stage's work, relative to the other passes
   * @param byTokens whether the pass's cost follows its tokens (reading ids) or its rows (reading
   *     lengths only)
   */
  public Pass pass(
      String name,
      String unit,
      long totalItems,
      long totalTokens,
      double weight,
      boolean byTokens) {
    Pass p =
        new Pass(
            name,
            unit,
            spark.sparkContext().longAccumulator("longmix." + stage + "." + name + ".rows"),
            spark.sparkContext().longAccumulator("longmix." + stage + "." + name + ".tokens"),
            totalItems,
            totalTokens,
            weight,
            byTokens);
    passes.add(p);
    return p;
  }

  /** Starts printing every interval (nothing when the interval is 0). */
  public StageProgress start() {
    boolean known = passes.stream().allMatch(p -> p.totalItems >= 0 && p.totalTokens >= 0);
    progress =
        new Progress(stage, intervalSeconds, this::status, known ? this::fraction : null, out);
    return this;
  }

  /** The counts so far of one pass: finished tasks and the last heartbeat of running ones. */
  Snapshot snapshot(Pass p) {
    return new Snapshot(p, live.value(p.items), live.value(p.tokens));
  }

  private synchronized String status() {
    List<Snapshot> now = passes.stream().map(this::snapshot).toList();
    long tokens = now.stream().mapToLong(Snapshot::tokens).sum();
    long t = System.nanoTime();
    double rate = (tokens - lastTokens) / Math.max(1e-9, (t - lastNanos) / 1e9);
    lastTokens = tokens;
    lastNanos = t;
    return describe(now, rate) + ", " + sparkTasks();
  }

  private double fraction() {
    return fraction(passes.stream().map(this::snapshot).toList());
  }

  /** Tasks done and running in the active Spark stages: shows life between counted passes. */
  private String sparkTasks() {
    long done = 0;
    long total = 0;
    for (int id : tracker.getActiveStageIds()) {
      scala.Option<SparkStageInfo> info = tracker.getStageInfo(id);
      if (info.isDefined()) {
        done += info.get().numCompletedTasks();
        total += info.get().numTasks();
      }
    }
    return String.format(Locale.ROOT, "Spark tasks %d/%d", done, total);
  }

  /**
   * The passes' counts, each against its total where known, then the rate: tokens per second over
   * the last interval, summed over the passes (they run one after another).
   */
  static String describe(List<Snapshot> passes, double tokensPerSecond) {
    List<String> parts = new ArrayList<>();
    for (Snapshot s : passes) {
      Pass p = s.pass();
      String prefix = p.name.isEmpty() ? "" : p.name + " ";
      parts.add(
          prefix
              + of(s.items(), p.totalItems)
              + " "
              + p.unit
              + ", "
              + of(s.tokens(), p.totalTokens)
              + " tokens");
    }
    return String.join("; ", parts)
        + String.format(Locale.ROOT, " (%,.0f tokens/s)", Math.max(0, tokensPerSecond));
  }

  private static String of(long done, long total) {
    return total < 0
        ? String.format(Locale.ROOT, "%,d", done)
        : String.format(Locale.ROOT, "%,d/%,d", done, total);
  }

  /**
   * Share of the stage's work done: each pass's own share done, weighted by its weight (equally
   * when no pass has weight, as for an empty input).
   */
  static double fraction(List<Snapshot> passes) {
    boolean weighted = passes.stream().anyMatch(s -> s.pass().weight > 0);
    double weights = 0;
    double done = 0;
    for (Snapshot s : passes) {
      Pass p = s.pass();
      long total = p.byTokens ? p.totalTokens : p.totalItems;
      long now = p.byTokens ? s.tokens() : s.items();
      // An empty pass is done; a retried task may count twice, so a pass never exceeds 1.
      double f = total <= 0 ? 1 : Math.min(1, (double) now / total);
      double w = weighted ? p.weight : 1;
      weights += w;
      done += w * f;
    }
    return weights == 0 ? 0 : done / weights;
  }

  @Override
  public void close() {
    if (progress != null) {
      progress.close();
    }
    live.close();
  }

  /** One pass's counts at one moment. */
  record Snapshot(Pass pass, long items, long tokens) {}

  /** The counters of one pass, handed to the executors inside {@link #count}'s predicate. */
  public static final class Pass implements Serializable {
    private static final long serialVersionUID = 1L;
    final String name;
    final String unit;
    final LongAccumulator items;
    final LongAccumulator tokens;
    final long totalItems;
    final long totalTokens;
    final double weight;
    final boolean byTokens;

    Pass(
        String name,
        String unit,
        LongAccumulator items,
        LongAccumulator tokens,
        long totalItems,
        long totalTokens,
        double weight,
        boolean byTokens) {
      this.name = name;
      this.unit = unit;
      this.items = items;
      this.tokens = tokens;
      this.totalItems = totalItems;
      this.totalTokens = totalTokens;
      this.weight = weight;
      this.byTokens = byTokens;
    }

    /**
     * A filter that keeps every row and counts it: one row and {@code nTokens} tokens (an int
     * column; for an ids column, {@code functions.size(ids)}, which reads the array's length, not
     * its elements). Nondeterministic, so Spark neither moves it nor drops it as always true.
     */
    public Column count(Column nTokens) {
      LongAccumulator i = items;
      LongAccumulator t = tokens;
      UserDefinedFunction f =
          functions
              .udf(
                  (UDF1<Integer, Boolean>)
                      n -> {
                        i.add(1);
                        t.add(n == null ? 0 : n);
                        return true;
                      },
                  DataTypes.BooleanType)
              .asNondeterministic();
      return f.apply(nTokens);
    }

    /** Counts rows and their tokens from a task's own code, as {@link #count} does in a query. */
    public void add(long rows, long nTokens) {
      items.add(rows);
      tokens.add(nTokens);
    }

    /** Rows counted so far by finished tasks. */
    public long items() {
      return items.value();
    }

    /** Tokens counted so far by finished tasks. */
    public long tokens() {
      return tokens.value();
    }
  }
}
