package dev.longmix.jobs.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.SparkSession;

/**
 * Files packed into tasks by size, the way Spark's own file sources split their input: each task
 * takes files (largest first) until it holds the target bytes, every file counting its size plus an
 * open cost. A dataset of thousands of small files then runs in a few dozen tasks, one of a few
 * huge files still in one task per file. The grouping decides only which task reads what, never
 * what is read: document ids come from paths and lines, and rows from the plan.
 *
 * <p>The target is Spark's: min({@code spark.sql.files.maxPartitionBytes}, max({@code
 * spark.sql.files.openCostInBytes}, all bytes / default parallelism)), so a small dataset still
 * spreads over every core, with the same two settings tuning it.
 */
public final class FileGroups {
  static final long MAX_BYTES_DEFAULT = 128L << 20;
  static final long OPEN_COST_DEFAULT = 4L << 20;

  private FileGroups() {}

  /** Groups of indices into {@code sizes}, by the session's settings and parallelism. */
  public static List<int[]> of(SparkSession spark, long[] sizes) {
    return of(
        sizes,
        spark.sparkContext().defaultParallelism(),
        bytes(spark, "spark.sql.files.maxPartitionBytes", MAX_BYTES_DEFAULT),
        bytes(spark, "spark.sql.files.openCostInBytes", OPEN_COST_DEFAULT));
  }

  /**
   * Groups of indices into {@code sizes}: next-fit over the files in decreasing size (ties by
   * index), closing a group when the next file would take it past the target. Every index is in
   * exactly one group; within a group indices are increasing.
   */
  public static List<int[]> of(long[] sizes, int parallelism, long maxBytes, long openCost) {
    long total = 0;
    for (long s : sizes) {
      total += s + openCost;
    }
    long target = Math.min(maxBytes, Math.max(openCost, total / Math.max(1, parallelism)));
    Integer[] order = new Integer[sizes.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        Comparator.<Integer>comparingLong(i -> -sizes[i]).thenComparingInt(Integer::intValue));
    List<int[]> groups = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    long held = 0;
    for (int i : order) {
      long cost = sizes[i] + openCost;
      if (!current.isEmpty() && held + cost > target) {
        groups.add(sorted(current));
        current.clear();
        held = 0;
      }
      current.add(i);
      held += cost;
    }
    if (!current.isEmpty()) {
      groups.add(sorted(current));
    }
    return groups;
  }

  private static int[] sorted(List<Integer> group) {
    int[] a = group.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(a);
    return a;
  }

  // The session's runtime settings (SET or spark.conf().set() apply), sizes as Spark spells them.
  private static long bytes(SparkSession spark, String key, long fallback) {
    return JavaUtils.byteStringAsBytes(spark.conf().get(key, fallback + "b"));
  }
}
