package dev.longmix.jobs.pack;

import dev.longmix.common.pack.BestFitPacker;
import dev.longmix.common.pack.PackTally;
import dev.longmix.common.pack.PackingConfig;
import dev.longmix.common.pack.PackingMode;
import dev.longmix.common.pack.RowLayout;
import dev.longmix.common.pack.TailPolicy;
import dev.longmix.common.select.KeyedRandom;
import dev.longmix.jobs.spark.TaskHook;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The place step under {@code --packing best-fit}: no item of at most {@code seq-len} tokens is
 * cut; a longer one is cut into {@code seq-len} parts and a remainder; the parts go into rows
 * best-fit decreasing ({@link BestFitPacker}), and a row's unused tail is padding.
 *
 * <p>At scale the parts are spread over packing groups by a keyed hash of their identity, as many
 * groups as the budget has {@link #GROUP_TOKENS}: each group is packed by one task, its rows within
 * {@code seq-len}/256 tokens of full are kept, and the parts of the rest are packed together in a
 * last, small pass on the driver. The groups, the order the packer takes parts in and the rows'
 * order are keyed on (seed, item, part) and on the budget alone, so the same input, plan and seed
 * give the same rows whatever the partitioning, executor count or retries, on the driver or
 * distributed. Rows come out in the order of a keyed hash of their first part (no run of long
 * documents first); within a row parts are in packing-key order. The emptiest row is the one
 * partial row {@code --tail} speaks of: dropped, or padded and written last.
 */
final class BestFitPlacement {
  /** Tokens per packing group: ~400 rows of 81,920, tens of thousands of parts, in one task. */
  static final long GROUP_TOKENS = 1L << 25;

  /** A group's row is kept if its padding is at most seq-len / this (0.4%). */
  static final int KEEP_SLACK = 256;

  private BestFitPlacement() {}

  /**
   * One packing group's rows: the parts of the rows it keeps, each with its row's key and its
   * offset in the row, and the parts left for the last pass.
   */
  record Binned(
      SelectedItems kept,
      long[] rowOfPart,
      int[] offset,
      long[] rowKeys,
      int[] rowFill,
      int[] rowParts,
      SelectedItems leftovers,
      long cutItems)
      implements Serializable {}

  /**
   * What the driver needs of a group: its kept rows' keys, fills and part counts, its leftovers,
   * and how many of its items are cut into parts.
   */
  record Summary(
      long[] rowKeys, int[] rowFill, int[] rowParts, SelectedItems leftovers, long cutItems)
      implements Serializable {}

  static Placement.Result place(
      SparkSession spark,
      JavaRDD<SelectedItems> selected,
      String[] domains,
      long itemsBound,
      int[] groupOfFile,
      int fileGroups,
      PackingConfig packing,
      long seed,
      long budget) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int seqLen = packing.seqLen();
    int groups =
        (int)
            Math.max(
                1, Math.min(Integer.MAX_VALUE / 2, (budget + GROUP_TOKENS - 1) / GROUP_TOKENS));
    if (Placement.onDriver(spark, itemsBound)) {
      List<SelectedItems> blocks = selected.collect();
      PackTally tally = new PackTally();
      blocks.forEach(b -> tally.merge(b.tally()));
      SelectedItems parts = SelectedItems.concat(domains, blocks).inParts(seqLen);
      SelectedItems[] byPackingGroup = parts.split(packingGroups(parts, seed, groups), groups);
      List<Binned> binned = new ArrayList<>();
      for (SelectedItems g : byPackingGroup) {
        binned.add(pack(g, seqLen, seed, false));
      }
      List<Summary> summaries = binned.stream().map(BestFitPlacement::summary).toList();
      Rows rows = rows(domains, summaries, seqLen, seed, packing);
      List<SelectedItems> placed = new ArrayList<>();
      for (Binned b : binned) {
        placed.add(placedKept(b, rows, seqLen));
      }
      placed.add(placedKept(rows.last(), rows, seqLen));
      SelectedItems all = SelectedItems.concat(domains, placed);
      return new Placement.Result(
          Placement.byGroup(jsc, all, groupOfFile, fileGroups), tally, rows.layout(), null);
    }
    JavaRDD<Binned> binned =
        selected
            .flatMapToPair(
                b -> {
                  SelectedItems parts = b.inParts(seqLen);
                  SelectedItems[] split = parts.split(packingGroups(parts, seed, groups), groups);
                  List<Tuple2<Integer, SelectedItems>> out = new ArrayList<>();
                  for (int g = 0; g < groups; g++) {
                    if (split[g].size() > 0) {
                      out.add(new Tuple2<>(g, split[g]));
                    }
                  }
                  return out.iterator();
                })
            .partitionBy(new Placement.ByIndex(groups))
            .values()
            .mapPartitions(
                TaskHook.wrap(
                    "pack",
                    (Iterator<SelectedItems> blocks) -> {
                      List<SelectedItems> all = new ArrayList<>();
                      blocks.forEachRemaining(all::add);
                      return List.of(pack(SelectedItems.concat(domains, all), seqLen, seed, false))
                          .iterator();
                    }),
                true)
            .persist(StorageLevel.MEMORY_AND_DISK());
    PackTally tally = selected.map(SelectedItems::tally).fold(new PackTally(), PackTally::merge);
    Rows rows =
        rows(domains, binned.map(BestFitPlacement::summary).collect(), seqLen, seed, packing);
    Broadcast<Rows> order = jsc.broadcast(rows);
    JavaRDD<SelectedItems> byGroup =
        binned
            .map(b -> placedKept(b, order.value(), seqLen))
            .union(jsc.parallelize(List.of(placedKept(rows.last(), rows, seqLen)), 1))
            .flatMapToPair(
                b -> {
                  SelectedItems[] parts = b.byGroup(groupOfFile, fileGroups);
                  List<Tuple2<Integer, SelectedItems>> out = new ArrayList<>();
                  for (int g = 0; g < fileGroups; g++) {
                    if (parts[g].size() > 0) {
                      out.add(new Tuple2<>(g, parts[g]));
                    }
                  }
                  return out.iterator();
                })
            .partitionBy(new Placement.ByIndex(fileGroups))
            .values();
    return new Placement.Result(byGroup, tally, rows.layout(), binned);
  }

  /** Each part's packing group: a keyed hash of (seed, item, part), over {@code groups}. */
  private static int[] packingGroups(SelectedItems parts, long seed, int groups) {
    int[] g = new int[parts.size()];
    for (int i = 0; i < g.length; i++) {
      long h =
          KeyedRandom.hash(
              seed,
              KeyedRandom.Stream.GROUP,
              parts.docId(i),
              parts.piece(i),
              parts.copy(i),
              parts.part(i));
      g[i] = (int) Math.floorMod(h, (long) groups);
    }
    return g;
  }

  /**
   * Packs one group's parts best-fit decreasing; keeps every row when {@code keepAll}, else only
   * rows within {@code seqLen / KEEP_SLACK} of full, returning the other rows' parts as leftovers.
   */
  static Binned pack(SelectedItems parts, int seqLen, long seed, boolean keepAll) {
    int n = parts.size();
    int[] lengths = new int[n];
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      lengths[i] = parts.tokens(i);
      keys[i] = parts.orderKey(i);
    }
    BestFitPacker.Packing p = BestFitPacker.pack(lengths, keys, seqLen);
    long[] rowKey = new long[p.rows()];
    boolean[] keep = new boolean[p.rows()];
    int keptRows = 0;
    for (int r = 0; r < p.rows(); r++) {
      keep[r] = keepAll || p.fill()[r] >= seqLen - seqLen / KEEP_SLACK;
      keptRows += keep[r] ? 1 : 0;
    }
    for (int i = 0; i < n; i++) {
      if (p.offset()[i] == 0) { // the row's first part, its longest: the row's identity
        rowKey[p.row()[i]] =
            KeyedRandom.hash(
                seed,
                KeyedRandom.Stream.ROW,
                parts.docId(i),
                parts.piece(i),
                parts.copy(i),
                parts.part(i));
      }
    }
    // Within a row, parts in packing-key order (not longest first); offsets follow that order.
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Integer.compare(p.row()[a], p.row()[b]);
          if (c == 0) {
            c = Long.compare(parts.orderKey(a), parts.orderKey(b));
          }
          if (c == 0) {
            c = Long.compare(parts.docId(a), parts.docId(b));
          }
          return c != 0 ? c : Integer.compare(parts.part(a), parts.part(b));
        });
    int[] keptIdx = new int[n];
    int[] leftIdx = new int[n];
    long[] rowOfPart = new long[n];
    int[] offset = new int[n];
    int k = 0;
    int l = 0;
    int at = 0;
    int currentRow = -1;
    for (int i : order) {
      int r = p.row()[i];
      if (r != currentRow) {
        currentRow = r;
        at = 0;
      }
      if (keep[r]) {
        rowOfPart[k] = rowKey[r];
        offset[k] = at;
        keptIdx[k++] = i;
      } else {
        leftIdx[l++] = i;
      }
      at += lengths[i];
    }
    int[] partsInRow = new int[p.rows()];
    long cutItems = 0;
    for (int i = 0; i < n; i++) {
      partsInRow[p.row()[i]]++;
      // An item cut into parts has exactly one part that starts one row into it.
      cutItems += parts.part(i) == seqLen ? 1 : 0;
    }
    long[] keptKeys = new long[keptRows];
    int[] keptFill = new int[keptRows];
    int[] keptParts = new int[keptRows];
    int kr = 0;
    for (int r = 0; r < p.rows(); r++) {
      if (keep[r]) {
        keptKeys[kr] = rowKey[r];
        keptFill[kr] = p.fill()[r];
        keptParts[kr++] = partsInRow[r];
      }
    }
    return new Binned(
        parts.subset(Arrays.copyOf(keptIdx, k)),
        Arrays.copyOf(rowOfPart, k),
        Arrays.copyOf(offset, k),
        keptKeys,
        keptFill,
        keptParts,
        parts.subset(Arrays.copyOf(leftIdx, l)),
        cutItems);
  }

  private static Summary summary(Binned b) {
    return new Summary(b.rowKeys(), b.rowFill(), b.rowParts(), b.leftovers(), b.cutItems());
  }

  /**
   * The output's rows: the groups' kept rows and the last pass's, in keyed order with the emptiest
   * row (the partial one) after them.
   *
   * @param order row keys by output row index: the keyed rows sorted, then the partial row's key
   *     when there is one (also when it is dropped)
   * @param sorted how many of {@code order} are the keyed rows
   * @param last the last pass's rows
   * @param layout the rows written
   */
  record Rows(long[] order, int sorted, Binned last, RowLayout layout) implements Serializable {

    /** The output index of the row with key {@code key}. */
    int index(long key) {
      if (sorted < order.length && key == order[sorted]) {
        return sorted;
      }
      int i = Arrays.binarySearch(order, 0, sorted, key);
      if (i < 0) {
        throw new IllegalStateException("a best-fit part's row " + key + " is not in the output");
      }
      return i;
    }
  }

  private static Rows rows(
      String[] domains, List<Summary> groups, int seqLen, long seed, PackingConfig packing) {
    List<SelectedItems> leftovers = new ArrayList<>();
    int rowCount = 0;
    long cut = 0;
    for (Summary s : groups) {
      leftovers.add(s.leftovers());
      rowCount += s.rowKeys().length;
      cut += s.cutItems();
    }
    Binned last = pack(SelectedItems.concat(domains, leftovers), seqLen, seed, true);
    List<Summary> all = new ArrayList<>(groups);
    all.add(summary(last));
    rowCount += last.rowKeys().length;
    long[] keys = new long[rowCount];
    int[] fill = new int[rowCount];
    int[] partsIn = new int[rowCount];
    int at = 0;
    for (Summary s : all) {
      System.arraycopy(s.rowKeys(), 0, keys, at, s.rowKeys().length);
      System.arraycopy(s.rowFill(), 0, fill, at, s.rowFill().length);
      System.arraycopy(s.rowParts(), 0, partsIn, at, s.rowParts().length);
      at += s.rowKeys().length;
    }
    // The partial row: the emptiest, ties by key; none when every row is full.
    int tail = -1;
    for (int r = 0; r < rowCount; r++) {
      if (fill[r] < seqLen
          && (tail < 0
              || fill[r] < fill[tail]
              || (fill[r] == fill[tail] && keys[r] < keys[tail]))) {
        tail = r;
      }
    }
    long[] order = new long[rowCount];
    int sorted = 0;
    long padTokens = 0;
    long spans = 0;
    for (int r = 0; r < rowCount; r++) {
      if (r != tail) {
        order[sorted++] = keys[r];
        padTokens += seqLen - fill[r];
        spans += partsIn[r];
      }
    }
    Arrays.sort(order, 0, sorted);
    for (int i = 1; i < sorted; i++) {
      if (order[i] == order[i - 1]) {
        throw new IllegalStateException("two best-fit rows share the key " + order[i]);
      }
    }
    long written = sorted;
    long tailRow = -1;
    long tailTokens = 0;
    boolean dropped = false;
    if (tail >= 0) {
      if (Arrays.binarySearch(order, 0, sorted, keys[tail]) >= 0) {
        throw new IllegalStateException("two best-fit rows share the key " + keys[tail]);
      }
      order[sorted] = keys[tail];
      tailTokens = fill[tail];
      if (packing.tail() == TailPolicy.PAD) {
        tailRow = sorted;
        written++;
        padTokens += seqLen - fill[tail];
        spans += partsIn[tail];
      } else {
        dropped = true;
      }
    }
    return new Rows(
        order,
        sorted,
        last,
        new RowLayout(
            PackingMode.BEST_FIT,
            seqLen,
            written,
            padTokens,
            tailRow,
            tailTokens,
            dropped,
            cut,
            spans));
  }

  /**
   * A group's kept parts with their starts in the output: row index (from the row's key in {@code
   * order}) times seq-len, plus the offset.
   */
  private static SelectedItems placedKept(Binned b, Rows rows, int seqLen) {
    int n = b.kept().size();
    long[] starts = new long[n];
    for (int i = 0; i < n; i++) {
      starts[i] = (long) rows.index(b.rowOfPart()[i]) * seqLen + b.offset()[i];
    }
    // A copy: under the distributed path b is a cached partition's object.
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    SelectedItems out = b.kept().subset(all);
    out.place(starts);
    return out;
  }
}
