package dev.longmix.jobs.pack;

import dev.longmix.common.plan.LengthClass;
import dev.longmix.common.select.BucketScheme;
import dev.longmix.common.select.CandidateGenerator;
import dev.longmix.common.select.Crossing;
import dev.longmix.common.select.PoolCutoff;
import dev.longmix.common.select.TimedItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.sketch.BloomFilter;
import scala.Tuple2;

/** The partition functions of selection; each reads (doc_id, domain, n_tokens) rows only. */
final class Selection {
  private Selection() {}

  /** One selected item: a candidate and the tokens of it the pool keeps. */
  static final StructType ITEM_SCHEMA =
      new StructType()
          .add("order_key", DataTypes.LongType, false)
          .add("doc_id", DataTypes.LongType, false)
          .add("piece", DataTypes.IntegerType, false)
          .add("copy", DataTypes.IntegerType, false)
          .add("domain", DataTypes.StringType, false)
          .add("from_token", DataTypes.IntegerType, false)
          .add("tokens", DataTypes.IntegerType, false)
          .add("doc_tokens", DataTypes.IntegerType, false)
          .add("long", DataTypes.BooleanType, false);

  /**
   * Pass 1: tokens and items per (pool, bucket) of one partition; per pool one array, tokens of
   * each bucket first, then the number of items of each bucket ({@link #tokens}, {@link
   * #itemsThrough}).
   */
  static final class BucketSums
      implements FlatMapFunction<Iterator<DocMeta>, HashMap<String, long[]>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<CandidateGenerator> gen;
    private final Broadcast<HashMap<String, BucketScheme>> schemes;

    BucketSums(
        Broadcast<CandidateGenerator> gen, Broadcast<HashMap<String, BucketScheme>> schemes) {
      this.gen = gen;
      this.schemes = schemes;
    }

    @Override
    public Iterator<HashMap<String, long[]>> call(Iterator<DocMeta> blocks) {
      HashMap<String, long[]> sums = new HashMap<>();
      for (Map.Entry<String, BucketScheme> e : schemes.value().entrySet()) {
        sums.put(e.getKey(), new long[2 * e.getValue().slots()]);
      }
      CandidateGenerator g = gen.value();
      // One sink per partition; each document sets the pool its candidates add to.
      final class Add implements CandidateGenerator.TimedSink {
        BucketScheme scheme;
        long[] pool;

        @Override
        public void accept(int piece, int copy, int fromToken, int tokens, double time) {
          int b = scheme.bucket(time);
          pool[b] += tokens;
          pool[scheme.slots() + b]++;
        }
      }
      Add add = new Add();
      while (blocks.hasNext()) {
        DocMeta m = blocks.next();
        for (int i = 0; i < m.size(); i++) {
          String pool = g.classPool(m.domain(i), m.nTokens[i]);
          if (pool == null) {
            continue;
          }
          add.scheme = schemes.value().get(pool);
          add.pool = sums.get(pool);
          g.times(m.docIds[i], m.domain(i), m.nTokens[i], Double.POSITIVE_INFINITY, add);
        }
      }
      return List.of(sums).iterator();
    }
  }

  /** The per-bucket token sums of one pool's {@link BucketSums} array. */
  static long[] tokens(long[] sums) {
    return java.util.Arrays.copyOf(sums, sums.length / 2);
  }

  /**
   * How many items one pool's cutoff can select at most: those of the buckets up to the crossing
   * one (all of them when everything is taken, none for a zero budget).
   */
  static long itemsThrough(long[] sums, Crossing crossing) {
    int slots = sums.length / 2;
    int last =
        crossing.bucket() >= 0 ? crossing.bucket() : crossing.budgetTokens() == 0 ? -1 : slots - 1;
    long n = 0;
    for (int b = 0; b <= last; b++) {
      n += sums[slots + b];
    }
    return n;
  }

  /** Packing order of {@link #ITEM_SCHEMA} rows: order_key, doc_id, piece, copy. */
  static final java.util.Comparator<Row> PACKING_ORDER =
      java.util.Comparator.<Row>comparingLong(r -> r.getLong(0))
          .thenComparingLong(r -> r.getLong(1))
          .thenComparingInt(r -> r.getInt(2))
          .thenComparingInt(r -> r.getInt(3));

  static HashMap<String, long[]> merge(HashMap<String, long[]> a, HashMap<String, long[]> b) {
    for (Map.Entry<String, long[]> e : b.entrySet()) {
      long[] mine = a.get(e.getKey());
      for (int i = 0; i < mine.length; i++) {
        mine[i] += e.getValue()[i];
      }
    }
    return a;
  }

  /** Pass 2: the items of each pool's crossing bucket. */
  static final class CrossingItems
      implements FlatMapFunction<Iterator<DocMeta>, Tuple2<String, TimedItem>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<CandidateGenerator> gen;
    private final Broadcast<HashMap<String, BucketScheme>> schemes;
    private final HashMap<String, Integer> crossing;

    CrossingItems(
        Broadcast<CandidateGenerator> gen,
        Broadcast<HashMap<String, BucketScheme>> schemes,
        HashMap<String, Integer> crossing) {
      this.gen = gen;
      this.schemes = schemes;
      this.crossing = crossing;
    }

    @Override
    public Iterator<Tuple2<String, TimedItem>> call(Iterator<DocMeta> blocks) {
      List<Tuple2<String, TimedItem>> out = new ArrayList<>();
      CandidateGenerator g = gen.value();
      while (blocks.hasNext()) {
        DocMeta m = blocks.next();
        for (int i = 0; i < m.size(); i++) {
          String pool = g.classPool(m.domain(i), m.nTokens[i]);
          Integer b = pool == null ? null : crossing.get(pool);
          if (b == null) {
            continue;
          }
          BucketScheme s = schemes.value().get(pool);
          long docId = m.docIds[i];
          // Copies past the crossing bucket are not generated (a piece's copies come in time
          // order).
          g.times(
              docId,
              m.domain(i),
              m.nTokens[i],
              s.timeBound(b),
              (piece, copy, fromToken, tokens, time) -> {
                if (s.bucket(time) == b) {
                  out.add(new Tuple2<>(pool, new TimedItem(time, docId, piece, copy, tokens)));
                }
              });
        }
      }
      return out.iterator();
    }
  }

  /** Pass 3: every candidate the cutoffs keep, with the tokens kept. */
  static final class SelectedItems implements FlatMapFunction<Iterator<DocMeta>, Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<CandidateGenerator> gen;
    private final HashMap<String, PoolCutoff> cutoffs;

    SelectedItems(Broadcast<CandidateGenerator> gen, HashMap<String, PoolCutoff> cutoffs) {
      this.gen = gen;
      this.cutoffs = cutoffs;
    }

    @Override
    public Iterator<Row> call(Iterator<DocMeta> blocks) {
      List<Row> out = new ArrayList<>();
      CandidateGenerator g = gen.value();
      while (blocks.hasNext()) {
        DocMeta m = blocks.next();
        for (int i = 0; i < m.size(); i++) {
          int n = m.nTokens[i];
          String domain = m.domain(i);
          String pool = g.classPool(domain, n);
          if (pool == null) {
            continue;
          }
          PoolCutoff cut = cutoffs.get(pool);
          if (cut == null) {
            throw new IllegalStateException("no cutoff for pool " + pool);
          }
          if (cut.kind() == PoolCutoff.Kind.NOTHING) {
            continue;
          }
          // Nothing after the cutoff item is kept: copies past its time are not generated.
          double maxTime =
              cut.kind() == PoolCutoff.Kind.EVERYTHING
                  ? Double.POSITIVE_INFINITY
                  : Math.nextUp(cut.time());
          long docId = m.docIds[i];
          boolean isLong = g.lengthClass(n) == LengthClass.LONG;
          g.times(
              docId,
              domain,
              n,
              maxTime,
              (piece, copy, fromToken, tokens, time) -> {
                long keep = cut.takeTokens(time, docId, piece, copy, tokens);
                if (keep > 0) {
                  out.add(
                      RowFactory.create(
                          g.orderKey(docId, piece, copy),
                          docId,
                          piece,
                          copy,
                          domain,
                          fromToken,
                          (int) keep,
                          n,
                          isLong));
                }
              });
        }
      }
      return out.iterator();
    }
  }

  /**
   * A Bloom filter of the doc ids among one partition's selected items (rows: ITEM_SCHEMA), sized
   * for 1% false positives up to {@link #MAX_SIZED_ITEMS} items (~60 MB); beyond that it lets more
   * unselected documents through to the join, which drops them, but never drops a selected one.
   */
  static final class DocFilter implements FlatMapFunction<Iterator<Row>, BloomFilter> {
    private static final long serialVersionUID = 1L;
    static final long MAX_SIZED_ITEMS = 50_000_000;
    private final long expectedItems;

    DocFilter(long expectedItems) {
      this.expectedItems = Math.max(1, Math.min(MAX_SIZED_ITEMS, expectedItems));
    }

    @Override
    public Iterator<BloomFilter> call(Iterator<Row> rows) {
      BloomFilter f = BloomFilter.create(expectedItems, 0.01);
      while (rows.hasNext()) {
        f.putLong(rows.next().getLong(1));
      }
      return List.of(f).iterator();
    }
  }
}
