package dev.longmix.jobs.spark;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkContext;
import org.apache.spark.util.AccumulatorV2;

/**
 * Per-key tallies of a few longs (per domain: documents, tokens, chars; per reject reason: count),
 * kept by the tasks that write a dataset. Updated in the writing (result) stage, Spark applies each
 * partition's updates once, from its successful attempt, so retries and lost executors do not count
 * twice; callers still check the total against the written files' footers. Synchronized: an
 * executor's heartbeat serializes running tasks' accumulators while the task adds to them.
 */
public final class KeyedCounts extends AccumulatorV2<KeyedCounts.Add, Map<String, long[]>> {
  private static final long serialVersionUID = 1L;

  /** One update: {@code values} are added to {@code key}'s tallies. */
  public record Add(String key, long[] values) implements java.io.Serializable {}

  private final int width;
  private TreeMap<String, long[]> counts = new TreeMap<>();

  public KeyedCounts(int width) {
    this.width = width;
  }

  /** A registered accumulator of {@code width} longs per key. */
  public static KeyedCounts register(SparkContext sc, String name, int width) {
    KeyedCounts k = new KeyedCounts(width);
    sc.register(k, name);
    return k;
  }

  /** Adds to {@code key}'s first tallies (no allocation once the key is known). */
  public synchronized void add(String key, long a, long b, long c) {
    long[] v = counts.computeIfAbsent(key, k -> new long[width]);
    v[0] += a;
    if (width > 1) {
      v[1] += b;
    }
    if (width > 2) {
      v[2] += c;
    }
  }

  @Override
  public synchronized void add(Add a) {
    long[] v = counts.computeIfAbsent(a.key(), k -> new long[width]);
    for (int i = 0; i < width; i++) {
      v[i] += a.values()[i];
    }
  }

  @Override
  public synchronized boolean isZero() {
    return counts.isEmpty();
  }

  @Override
  public synchronized KeyedCounts copy() {
    KeyedCounts k = new KeyedCounts(width);
    counts.forEach((key, v) -> k.counts.put(key, v.clone()));
    return k;
  }

  @Override
  public synchronized void reset() {
    counts = new TreeMap<>();
  }

  @Override
  public void merge(AccumulatorV2<Add, Map<String, long[]>> other) {
    other.value().forEach((key, v) -> add(new Add(key, v)));
  }

  /** Key → tallies, in key order (copies). */
  @Override
  public synchronized Map<String, long[]> value() {
    TreeMap<String, long[]> out = new TreeMap<>();
    counts.forEach((key, v) -> out.put(key, v.clone()));
    return out;
  }

  private synchronized void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    out.defaultWriteObject();
  }

  /** The sum of tally {@code i} over all keys. */
  public synchronized long total(int i) {
    long t = 0;
    for (long[] v : counts.values()) {
      t += v[i];
    }
    return t;
  }
}
