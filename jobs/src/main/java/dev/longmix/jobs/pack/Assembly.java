package dev.longmix.jobs.pack;

import dev.longmix.common.pack.PackingConfig;
import dev.longmix.common.pack.RowAssembler;
import dev.longmix.common.pack.RowFragment;
import dev.longmix.jobs.fast.FragmentSerializer;
import dev.longmix.jobs.fast.RowDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.ShuffledRDD;
import org.apache.spark.sql.catalyst.InternalRow;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The assemble step: row fragments go, through the one shuffle that carries every output token, to
 * the task that writes their row's file, and come out as packed rows in row order.
 */
final class Assembly {
  private Assembly() {}

  /** Tokens per output file, roughly (64 MB of ids before compression). */
  static final long TOKENS_PER_FILE = 16L << 20;

  static final long MIN_FILES = 8;

  /**
   * Output files: at most {@link #TOKENS_PER_FILE} tokens each, and at least {@link #MIN_FILES} so
   * that a small output is still assembled and written by several tasks; fixed by the row count
   * alone, never by the cluster, so the same config writes the same files anywhere.
   */
  static int files(long rows, long tokens) {
    return (int)
        Math.max(
            1,
            Math.min(rows, Math.max(MIN_FILES, (tokens + TOKENS_PER_FILE - 1) / TOKENS_PER_FILE)));
  }

  /**
   * The packed rows of {@code fragments} (every fragment of rows [0, {@code rows})), as Catalyst
   * rows of {@link #PACKED_SCHEMA}, each output file's in row order; {@code digest} sums their
   * content digest as they are made.
   */
  static JavaRDD<InternalRow> rows(
      JavaRDD<RowFragment> fragments,
      PackingConfig packing,
      long rows,
      long tokens,
      RowDigest digest) {
    int seqLen = packing.seqLen();
    ClassTag<Long> keyTag = ClassTag$.MODULE$.apply(Long.class);
    ClassTag<RowFragment> fragmentTag = ClassTag$.MODULE$.apply(RowFragment.class);
    ShuffledRDD<Long, RowFragment, RowFragment> shuffled =
        new ShuffledRDD<Long, RowFragment, RowFragment>(
                fragments.mapToPair(f -> RowRanges.keyed(f, seqLen)).rdd(),
                new RowRanges(files(rows, tokens), rows, seqLen),
                keyTag,
                fragmentTag,
                fragmentTag)
            .setSerializer(new FragmentSerializer());
    return JavaPairRDD.fromRDD(shuffled, keyTag, fragmentTag)
        .values()
        .mapPartitions(dev.longmix.jobs.spark.TaskHook.wrap("pack", new Assemble(packing, digest)));
  }

  /**
   * Where a fragment goes for assembly: its global token position (row * seqLen + offset) is the
   * shuffle key, and each output file holds a contiguous range of rows. Known up front from the row
   * count, so no sampling pass recomputes the join the way a range repartition would.
   */
  static final class RowRanges extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int files;
    private final long rows;
    private final int seqLen;

    RowRanges(int files, long rows, int seqLen) {
      this.files = files;
      this.rows = Math.max(1, rows);
      this.seqLen = seqLen;
    }

    static Tuple2<Long, RowFragment> keyed(RowFragment f, int seqLen) {
      return new Tuple2<>(f.row() * seqLen + f.offsetInRow(), f);
    }

    @Override
    public int numPartitions() {
      return files;
    }

    @Override
    public int getPartition(Object key) {
      long row = (Long) key / seqLen;
      return (int) Math.min(files - 1, Math.multiplyExact(row, files) / rows);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RowRanges r && r.files == files && r.rows == rows && r.seqLen == seqLen;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(files, rows, seqLen);
    }
  }

  /**
   * Assembles one output file's fragments into packed rows, in row order. The shuffle hands them
   * over in no set order; they are sorted here by (row, offset), unique per fragment, rather than
   * by Spark's external sorter, whose size sampling of the buffered fragments cost more than the
   * sort (a file holds at most {@link #TOKENS_PER_FILE} tokens, held in memory either way).
   */
  static final class Assemble implements FlatMapFunction<Iterator<RowFragment>, InternalRow> {
    private static final long serialVersionUID = 1L;
    private static final java.util.Comparator<RowFragment> POSITION =
        java.util.Comparator.comparingLong(RowFragment::row)
            .thenComparingInt(RowFragment::offsetInRow);
    private final PackingConfig config;
    private final RowDigest digest;

    Assemble(PackingConfig config, RowDigest digest) {
      this.config = config;
      this.digest = digest;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<RowFragment> input) {
      ArrayList<RowFragment> all = new ArrayList<>();
      input.forEachRemaining(all::add);
      all.sort(POSITION);
      RowDigest.Lanes lanes = new RowDigest.Lanes(digest);
      return new Iterator<>() {
        int next; // the first fragment not yet assembled; those before it are released

        @Override
        public boolean hasNext() {
          if (next == all.size()) {
            lanes.flush(); // the partition's last rows; the writer drains the iterator
            return false;
          }
          return true;
        }

        @Override
        public InternalRow next() {
          if (next == all.size()) {
            throw new NoSuchElementException();
          }
          long row = all.get(next).row();
          List<RowFragment> frags = new ArrayList<>();
          while (next < all.size() && all.get(next).row() == row) {
            frags.add(all.set(next++, null));
          }
          InternalRow out = PackedSchema.toInternal(RowAssembler.assemble(row, frags, config));
          lanes.add(out);
          return out;
        }
      };
    }
  }
}
