package dev.longmix.jobs.pack;

import dev.longmix.common.plan.LengthClass;
import dev.longmix.common.plan.Plan;
import dev.longmix.common.plan.PoolPlan;
import dev.longmix.common.select.BucketScheme;
import dev.longmix.common.select.CandidateGenerator;
import dev.longmix.common.select.Crossing;
import dev.longmix.common.select.CutoffFinder;
import dev.longmix.common.select.PoolCutoff;
import dev.longmix.common.select.TimedItem;
import dev.longmix.jobs.spark.TaskHook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * The select step: which items each pool takes, from the documents' (doc_id, domain, n_tokens)
 * alone. Three passes over the cached {@link DocMeta}: token sums per pool and time bucket, the
 * items of each pool's crossing bucket (so the driver finds the exact cutoff item), and the items
 * before each cutoff.
 */
final class Selection {
  private Selection() {}

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
          String pool = g.classPool(m.domain(i), m.nTokens()[i]);
          if (pool == null) {
            continue;
          }
          add.scheme = schemes.value().get(pool);
          add.pool = sums.get(pool);
          g.times(m.docIds()[i], m.domain(i), m.nTokens()[i], Double.POSITIVE_INFINITY, add);
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
          String pool = g.classPool(m.domain(i), m.nTokens()[i]);
          Integer b = pool == null ? null : crossing.get(pool);
          if (b == null) {
            continue;
          }
          BucketScheme s = schemes.value().get(pool);
          long docId = m.docIds()[i];
          // Copies past the crossing bucket are not generated (a piece's copies come in time
          // order).
          g.times(
              docId,
              m.domain(i),
              m.nTokens()[i],
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

  /** Pass 3: every candidate the cutoffs keep, with the tokens kept, a block per file. */
  static final class Pick implements FlatMapFunction<Iterator<DocMeta>, SelectedItems> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<CandidateGenerator> gen;
    private final HashMap<String, PoolCutoff> cutoffs;
    private final String[] domains;

    Pick(Broadcast<CandidateGenerator> gen, HashMap<String, PoolCutoff> cutoffs, String[] domains) {
      this.gen = gen;
      this.cutoffs = cutoffs;
      this.domains = domains;
    }

    @Override
    public Iterator<SelectedItems> call(Iterator<DocMeta> blocks) {
      List<SelectedItems> out = new ArrayList<>();
      CandidateGenerator g = gen.value();
      HashMap<String, Integer> domainIndex = new HashMap<>();
      for (int i = 0; i < domains.length; i++) {
        domainIndex.put(domains[i], i);
      }
      while (blocks.hasNext()) {
        DocMeta m = blocks.next();
        SelectedItems items = new SelectedItems(domains);
        for (int i = 0; i < m.size(); i++) {
          int n = m.nTokens()[i];
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
          long docId = m.docIds()[i];
          boolean isLong = g.lengthClass(n) == LengthClass.LONG;
          int d = domainIndex.get(domain);
          g.times(
              docId,
              domain,
              n,
              maxTime,
              (piece, copy, fromToken, tokens, time) -> {
                long keep = cut.takeTokens(time, docId, piece, copy, tokens);
                if (keep > 0) {
                  items.add(
                      g.orderKey(docId, piece, copy),
                      docId,
                      piece,
                      copy,
                      d,
                      fromToken,
                      (int) keep,
                      n,
                      isLong,
                      m.file());
                }
              });
        }
        if (items.size() > 0) {
          out.add(items);
        }
      }
      return out.iterator();
    }
  }

  /**
   * Where each pool's selection ends and how many items it can hold at most.
   *
   * @param cutoffs per pool, the last item it takes and how much of it
   * @param itemsBound the selected items' count is at most this (from the bucket counts)
   */
  record Cutoffs(HashMap<String, PoolCutoff> cutoffs, long itemsBound) {}

  /**
   * The cutoffs of every pool of {@code plan} over {@code meta}: bucket sums, the bucket where each
   * pool's budget is crossed, then only that bucket's items, sorted. Refuses a budget the
   * candidates cannot fill rather than write less.
   */
  static Cutoffs cutoffs(
      JavaSparkContext jsc, Plan plan, Broadcast<CandidateGenerator> gen, JavaRDD<DocMeta> meta) {
    HashMap<String, BucketScheme> schemeMap = new HashMap<>();
    for (PoolPlan p : plan.pools()) {
      schemeMap.put(
          p.pool(),
          BucketScheme.covering(p, plan.config().maxCopies(), BucketScheme.BUCKETS_DEFAULT));
    }
    Broadcast<HashMap<String, BucketScheme>> schemes = jsc.broadcast(schemeMap);
    HashMap<String, long[]> sums =
        meta.mapPartitions(TaskHook.wrap("pack", new BucketSums(gen, schemes)))
            .treeReduce(Selection::merge);
    HashMap<String, Crossing> crossings = new HashMap<>();
    HashMap<String, Integer> crossingBuckets = new HashMap<>();
    List<String> underfilled = new ArrayList<>();
    long itemsBound = 0;
    for (PoolPlan p : plan.pools()) {
      Crossing c = CutoffFinder.crossing(tokens(sums.get(p.pool())), p.budgetTokens());
      crossings.put(p.pool(), c);
      itemsBound += itemsThrough(sums.get(p.pool()), c);
      if (c.shortfallTokens() > 0) {
        underfilled.add(
            String.format(
                Locale.ROOT,
                "pool %s: its candidates hold %,d tokens but the budget is %,d (%,d short)",
                p.pool(),
                c.totalTokens(),
                p.budgetTokens(),
                c.shortfallTokens()));
      }
      if (c.bucket() >= 0) {
        crossingBuckets.put(p.pool(), c.bucket());
      }
    }
    if (!underfilled.isEmpty()) {
      throw new IllegalStateException(
          "the selection cannot fill the budget, refusing to write less: "
              + String.join("; ", underfilled)
              + "; raise --max-copies with --infeasible repeat, or lower the budget");
    }
    Map<String, List<TimedItem>> inBucket = new HashMap<>();
    for (Tuple2<String, TimedItem> t :
        meta.mapPartitions(TaskHook.wrap("pack", new CrossingItems(gen, schemes, crossingBuckets)))
            .collect()) {
      inBucket.computeIfAbsent(t._1(), k -> new ArrayList<>()).add(t._2());
    }
    HashMap<String, PoolCutoff> cutoffs = new HashMap<>();
    for (PoolPlan p : plan.pools()) {
      cutoffs.put(
          p.pool(),
          CutoffFinder.cutoff(
              p.pool(), crossings.get(p.pool()), inBucket.getOrDefault(p.pool(), List.of())));
    }
    return new Cutoffs(cutoffs, itemsBound);
  }
}
