package dev.longmix.jobs.pack;

import dev.longmix.common.histogram.LengthBins;
import dev.longmix.common.pack.PackItem;
import dev.longmix.common.pack.PackedRow;
import dev.longmix.common.pack.PackingConfig;
import dev.longmix.common.pack.RowAssembler;
import dev.longmix.common.pack.RowFragment;
import dev.longmix.common.pack.Span;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/** Global offsets, fragments and row assembly: the partition functions of packing. */
final class Placement {
  private Placement() {}

  /** Items with their global start offset in packing order. */
  static final StructType PLACED_SCHEMA =
      new StructType()
          .add("doc_id", DataTypes.LongType, false)
          .add("global_start", DataTypes.LongType, false)
          .add("domain", DataTypes.StringType, false)
          .add("piece", DataTypes.IntegerType, false)
          .add("copy", DataTypes.IntegerType, false)
          .add("from_token", DataTypes.IntegerType, false)
          .add("tokens", DataTypes.IntegerType, false);

  static final StructType SPAN_SCHEMA =
      new StructType()
          .add("start", DataTypes.IntegerType, false)
          .add("length", DataTypes.IntegerType, false)
          .add("domain", DataTypes.StringType, false)
          .add("doc_id", DataTypes.LongType, false)
          .add("piece", DataTypes.IntegerType, false)
          .add("copy", DataTypes.IntegerType, false)
          .add("from_token", DataTypes.IntegerType, false)
          .add("continuation", DataTypes.BooleanType, false);

  /** The packed dataset. */
  static final StructType PACKED_SCHEMA =
      new StructType()
          .add("row", DataTypes.LongType, false)
          .add("input_ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add("spans", DataTypes.createArrayType(SPAN_SCHEMA, false), false)
          .add("n_tokens", DataTypes.IntegerType, false)
          .add("pad_tokens", DataTypes.IntegerType, false);

  /** What one partition of sorted items holds: its token sum and the report's counters. */
  static final class Stats implements Serializable {
    private static final long serialVersionUID = 1L;
    int partition;
    long items;
    long tokens;
    long longTokens;
    long repeatedItems;
    long repeatedTokens;
    int maxCopy;
    long maxItemTokens;
    double sumSquares;
    final TreeMap<String, Long> domainTokens = new TreeMap<>();
    final TreeMap<String, Long> domainLongTokens = new TreeMap<>();
    long[] binTokens = new long[LengthBins.fig2().count()];

    Stats add(Stats o) {
      items += o.items;
      tokens += o.tokens;
      longTokens += o.longTokens;
      repeatedItems += o.repeatedItems;
      repeatedTokens += o.repeatedTokens;
      maxCopy = Math.max(maxCopy, o.maxCopy);
      maxItemTokens = Math.max(maxItemTokens, o.maxItemTokens);
      sumSquares += o.sumSquares;
      o.domainTokens.forEach((d, t) -> domainTokens.merge(d, t, Long::sum));
      o.domainLongTokens.forEach((d, t) -> domainLongTokens.merge(d, t, Long::sum));
      for (int i = 0; i < binTokens.length; i++) {
        binTokens[i] += o.binTokens[i];
      }
      return this;
    }
  }

  /** Sums one partition of sorted items (fields as in {@link Selection#ITEM_SCHEMA}). */
  static final class PartitionStats implements Function2<Integer, Iterator<Row>, Iterator<Stats>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Stats> call(Integer index, Iterator<Row> rows) {
      LengthBins bins = LengthBins.fig2();
      Stats s = new Stats();
      s.partition = index;
      while (rows.hasNext()) {
        Row r = rows.next();
        int copy = r.getInt(3);
        long t = r.getInt(6);
        s.items++;
        s.tokens += t;
        s.maxItemTokens = Math.max(s.maxItemTokens, t);
        s.sumSquares += (double) t * t;
        if (r.getBoolean(8)) {
          s.longTokens += t;
          s.domainLongTokens.merge(r.getString(4), t, Long::sum);
        }
        if (copy > 0) {
          s.repeatedItems++;
          s.repeatedTokens += t;
        }
        s.maxCopy = Math.max(s.maxCopy, copy);
        s.domainTokens.merge(r.getString(4), t, Long::sum);
        s.binTokens[bins.binOf(r.getInt(7))] += t;
      }
      return List.of(s).iterator();
    }
  }

  /** Gives each sorted item its global start, from the token sums of the partitions before. */
  static final class Place implements Function2<Integer, Iterator<Row>, Iterator<Row>> {
    private static final long serialVersionUID = 1L;
    private final long[] partitionStarts;

    Place(long[] partitionStarts) {
      this.partitionStarts = partitionStarts;
    }

    @Override
    public Iterator<Row> call(Integer index, Iterator<Row> input) {
      Iterator<Row> rows = dev.longmix.jobs.spark.FailureInjection.wrap("pack", input);
      long[] at = {partitionStarts[index]};
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = rows.next();
          long start = at[0];
          at[0] += r.getInt(6);
          return placed(r, start);
        }
      };
    }
  }

  /**
   * A sorted item ({@link Selection#ITEM_SCHEMA}) at global offset {@code start} ({@link
   * #PLACED_SCHEMA}).
   */
  static Row placed(Row r, long start) {
    return RowFactory.create(
        r.getLong(1), start, r.getString(4), r.getInt(2), r.getInt(3), r.getInt(5), r.getInt(6));
  }

  /** The items list of one document as {@code byDoc} holds it: PLACED_SCHEMA less doc_id. */
  static Row itemStruct(Row placed) {
    return RowFactory.create(
        placed.getLong(1),
        placed.getString(2),
        placed.getInt(3),
        placed.getInt(4),
        placed.getInt(5),
        placed.getInt(6));
  }

  /**
   * Splits every item of a joined document into row fragments. Input rows: doc_id, input_ids, items
   * (array of struct global_start, domain, piece, copy, from_token, tokens).
   */
  static final class Fragments implements FlatMapFunction<Iterator<InternalRow>, RowFragment> {
    private static final long serialVersionUID = 1L;
    private final int seqLen;
    private final long rows;

    Fragments(int seqLen, long rows) {
      this.seqLen = seqLen;
      this.rows = rows;
    }

    @Override
    public Iterator<RowFragment> call(Iterator<InternalRow> in) {
      // Lazily, one document at a time: a task holds one document's fragments, not a partition's.
      return new Iterator<>() {
        private Iterator<RowFragment> current = Collections.emptyIterator();

        @Override
        public boolean hasNext() {
          while (!current.hasNext() && in.hasNext()) {
            current = fragmentsOf(in.next()).iterator();
          }
          return current.hasNext();
        }

        @Override
        public RowFragment next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return current.next();
        }
      };
    }

    private List<RowFragment> fragmentsOf(InternalRow r) {
      List<RowFragment> out = new ArrayList<>();
      long docId = r.getLong(0);
      int[] ids = r.getArray(1).toIntArray();
      ArrayData items = r.getArray(2);
      for (int i = 0; i < items.numElements(); i++) {
        InternalRow it = items.getStruct(i, 6);
        String domain = it.getUTF8String(1).toString();
        PackItem item =
            new PackItem(
                docId, domain, it.getInt(2), it.getInt(3), ids, it.getInt(4), it.getInt(5));
        split(item, it.getLong(0), seqLen, rows, out);
      }
      return out;
    }

    /** Adds an item's fragments to out, less those of the dropped partial last row. */
    static void split(
        PackItem item, long globalStart, int seqLen, long rows, List<RowFragment> out) {
      for (RowFragment f : RowFragment.split(item, globalStart, seqLen)) {
        if (f.row() < rows) {
          out.add(f);
        }
      }
    }
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
   * sort (a file holds at most {@link PackJob#TOKENS_PER_FILE} tokens, held in memory either way).
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
      Iterator<RowFragment> in = dev.longmix.jobs.spark.FailureInjection.wrap("pack", input);
      ArrayList<RowFragment> all = new ArrayList<>();
      in.forEachRemaining(all::add);
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
          InternalRow out = toInternal(RowAssembler.assemble(row, frags, config));
          lanes.add(out);
          return out;
        }
      };
    }

    static InternalRow toInternal(PackedRow p) {
      Object[] spans = new Object[p.spans().size()];
      for (int i = 0; i < spans.length; i++) {
        Span s = p.spans().get(i);
        spans[i] =
            new GenericInternalRow(
                new Object[] {
                  s.start(),
                  s.length(),
                  UTF8String.fromString(s.domain()),
                  s.docId(),
                  s.piece(),
                  s.copy(),
                  s.fromToken(),
                  s.continuation()
                });
      }
      return new GenericInternalRow(
          new Object[] {
            p.index(),
            UnsafeArrayData.fromPrimitiveArray(p.tokens()),
            new GenericArrayData(spans),
            p.tokens().length - p.padTokens(),
            p.padTokens()
          });
    }
  }
}
