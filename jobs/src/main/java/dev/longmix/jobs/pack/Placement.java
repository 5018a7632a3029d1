package dev.longmix.jobs.pack;

import dev.longmix.common.pack.PackTally;
import dev.longmix.common.pack.PackingConfig;
import dev.longmix.common.pack.RowLayout;
import dev.longmix.jobs.spark.TaskHook;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The place step: the selected items in packing order, each with its start in the concatenated
 * output, handed to the ids pass as one block per group of tokenized files (partition g holds the
 * items of the documents in group g's files).
 *
 * <p>Two ways to the same placement. A selection of at most {@code spark.longmix.pack.driverItems}
 * items (bounded from the bucket counts before anything is collected; 1,000,000 by default) is
 * sorted and placed on the driver: one job collects it, and the sort and the prefix sum cost no
 * further Spark jobs. A larger one stays distributed: items are partitioned by ranges of their
 * order key (a uniform hash, so equal ranges hold about equal numbers of items and no sampling pass
 * is needed), sorted within each range, and placed from the token sums of the ranges before. The
 * order, and so every start, is the same total order either way (PackJobTest runs both).
 */
final class Placement {
  static final long DRIVER_ITEMS_DEFAULT = 1_000_000;
  static final String DRIVER_ITEMS_KEY = "spark.longmix.pack.driverItems";

  /** Items per order-key range of the distributed path, roughly. */
  static final long ITEMS_PER_RANGE = 2_000_000;

  private Placement() {}

  /**
   * Placed items and what they add up to.
   *
   * @param byGroup partition g: the placed items of group g's files
   * @param tally the selection, counted
   * @param layout the rows the placement makes
   * @param cached what to release once the rows are written (or null)
   */
  record Result(
      JavaRDD<SelectedItems> byGroup, PackTally tally, RowLayout layout, JavaRDD<?> cached) {
    void release() {
      if (cached != null) {
        cached.unpersist(false);
      }
    }
  }

  /**
   * Places {@code selected} (blocks of selected items, any order) for the ids pass over {@code
   * groups}; {@code groupOfFile} maps a file's index to its group.
   */
  static Result place(
      SparkSession spark,
      JavaRDD<SelectedItems> selected,
      String[] domains,
      long itemsBound,
      int[] groupOfFile,
      int groups,
      PackingConfig packing) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return onDriver(spark, itemsBound)
        ? onDriver(jsc, selected, domains, groupOfFile, groups, packing)
        : distributed(jsc, selected, domains, itemsBound, groupOfFile, groups, packing);
  }

  /** Whether a selection of at most {@code itemsBound} items is placed on the driver. */
  static boolean onDriver(SparkSession spark, long itemsBound) {
    return itemsBound
        <= Long.parseLong(spark.conf().get(DRIVER_ITEMS_KEY, Long.toString(DRIVER_ITEMS_DEFAULT)));
  }

  private static Result onDriver(
      JavaSparkContext jsc,
      JavaRDD<SelectedItems> selected,
      String[] domains,
      int[] groupOfFile,
      int groups,
      PackingConfig packing) {
    SelectedItems all = SelectedItems.concat(domains, selected.collect()).forPacking();
    long tokens = all.place(0);
    long[] stats = all.rowStats(packing.seqLen(), packing.rows(tokens));
    return new Result(
        byGroup(jsc, all, groupOfFile, groups),
        all.tally(),
        RowLayout.concat(packing, tokens, stats[0], stats[1]),
        null);
  }

  /** The ids pass's input from items placed on the driver: partition g holds group g's items. */
  static JavaRDD<SelectedItems> byGroup(
      JavaSparkContext jsc, SelectedItems placed, int[] groupOfFile, int groups) {
    // One element per slice, in order.
    return jsc.parallelize(Arrays.asList(placed.byGroup(groupOfFile, groups)), groups);
  }

  private static Result distributed(
      JavaSparkContext jsc,
      JavaRDD<SelectedItems> selected,
      String[] domains,
      long itemsBound,
      int[] groupOfFile,
      int groups,
      PackingConfig packing) {
    int ranges =
        (int)
            Math.max(
                jsc.defaultParallelism(),
                Math.min(
                    Integer.MAX_VALUE / 2, (itemsBound + ITEMS_PER_RANGE - 1) / ITEMS_PER_RANGE));
    JavaRDD<SelectedItems> sorted =
        selected
            .flatMapToPair(b -> byRange(b, ranges).iterator())
            .partitionBy(new ByIndex(ranges))
            .values()
            .mapPartitions(
                TaskHook.wrap(
                    "pack",
                    blocks -> {
                      List<SelectedItems> all = new ArrayList<>();
                      blocks.forEachRemaining(all::add);
                      return List.of(SelectedItems.concat(domains, all).forPacking()).iterator();
                    }),
                true)
            .persist(StorageLevel.MEMORY_AND_DISK());
    List<Tuple2<Integer, PackTally>> tallies =
        sorted
            .mapPartitionsWithIndex(
                TaskHook.wrapIndexed(
                    "pack",
                    (Integer i, Iterator<SelectedItems> blocks) -> {
                      PackTally t = new PackTally();
                      blocks.forEachRemaining(b -> t.merge(b.tally()));
                      return List.of(new Tuple2<>(i, t)).iterator();
                    }),
                true)
            .collect();
    long[] starts = new long[ranges];
    PackTally total = new PackTally();
    long at = 0;
    PackTally[] byRange = new PackTally[ranges];
    for (Tuple2<Integer, PackTally> t : tallies) {
      byRange[t._1()] = t._2();
    }
    for (int r = 0; r < ranges; r++) {
      starts[r] = at;
      at += byRange[r].tokens();
      total.merge(byRange[r]);
    }
    long rows = packing.rows(total.tokens());
    int seqLen = packing.seqLen();
    long[] stats =
        sorted
            .mapPartitionsWithIndex(
                TaskHook.wrapIndexed(
                    "pack",
                    (Integer r, Iterator<SelectedItems> blocks) -> {
                      long[] st = new long[2];
                      long first = starts[r];
                      while (blocks.hasNext()) {
                        SelectedItems b = blocks.next();
                        first = b.place(first);
                        long[] one = b.rowStats(seqLen, rows);
                        st[0] += one[0];
                        st[1] += one[1];
                      }
                      return List.of(st).iterator();
                    }),
                true)
            .reduce((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    JavaRDD<SelectedItems> byGroup =
        JavaPairRDD.fromJavaRDD(
                sorted.mapPartitionsWithIndex(
                    TaskHook.wrapIndexed(
                        "pack",
                        (Integer r, Iterator<SelectedItems> blocks) -> {
                          List<Tuple2<Integer, SelectedItems>> out = new ArrayList<>();
                          long first = starts[r];
                          while (blocks.hasNext()) {
                            SelectedItems b = blocks.next();
                            first = b.place(first);
                            SelectedItems[] parts = b.byGroup(groupOfFile, groups);
                            for (int g = 0; g < groups; g++) {
                              if (parts[g].size() > 0) {
                                out.add(new Tuple2<>(g, parts[g]));
                              }
                            }
                          }
                          return out.iterator();
                        }),
                    true))
            .partitionBy(new ByIndex(groups))
            .values();
    return new Result(
        byGroup, total, RowLayout.concat(packing, total.tokens(), stats[0], stats[1]), sorted);
  }

  /**
   * The range of order keys a key falls in: the key's top 32 bits, sign flipped so that signed
   * order is unsigned order, scaled to [0, ranges). Monotone in the key, so ranges concatenated in
   * index order are in packing order.
   */
  static int range(long orderKey, int ranges) {
    long top = (orderKey >>> 32) ^ 0x80000000L;
    return (int) ((top * ranges) >>> 32);
  }

  private static List<Tuple2<Integer, SelectedItems>> byRange(SelectedItems b, int ranges) {
    int[] rangeOfItem = new int[b.size()];
    for (int i = 0; i < b.size(); i++) {
      rangeOfItem[i] = range(b.orderKey(i), ranges);
    }
    SelectedItems[] parts = b.split(rangeOfItem, ranges);
    List<Tuple2<Integer, SelectedItems>> out = new ArrayList<>();
    for (int r = 0; r < ranges; r++) {
      if (parts[r].size() > 0) {
        out.add(new Tuple2<>(r, parts[r]));
      }
    }
    return out;
  }

  /** Partition i for key i: the keys are already partition indices. */
  static final class ByIndex extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    ByIndex(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByIndex b && b.partitions == partitions;
    }

    @Override
    public int hashCode() {
      return partitions;
    }
  }
}
