package dev.longmix.jobs.fast;

import dev.longmix.jobs.pack.PackedSchema;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.catalyst.expressions.XxHash64Function$;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.util.AccumulatorV2;

/**
 * The packed output's content digest: the XOR over rows of Spark SQL's {@code xxhash64(row,
 * input_ids, spans, pad_tokens)}, so anyone can recompute it from the files with {@code
 * bit_xor(xxhash64(...))}, and it does not depend on file order or partitioning. The assembling
 * tasks compute it from the rows they hand to the writer, accumulated in the writing (result)
 * stage, where each partition's successful attempt counts once.
 */
public final class RowDigest extends AccumulatorV2<Long, Long> {
  private static final long serialVersionUID = 1L;
  private static final long SEED = 42L; // xxhash64's seed
  private static final DataType SPANS = PackedSchema.ROWS.apply("spans").dataType();

  private long xor;

  /** {@code xxhash64(row, input_ids, spans, pad_tokens)} of one row of PACKED_SCHEMA. */
  static long of(InternalRow r) {
    long h = XXH64.hashLong(r.getLong(0), SEED);
    ArrayData ids = r.getArray(1);
    for (int i = 0, n = ids.numElements(); i < n; i++) {
      h = XXH64.hashInt(ids.getInt(i), h);
    }
    return finish(r, h);
  }

  /**
   * The same hashes for several rows at once. A row's hash is one serial chain through its ids
   * (each step waits on the previous one's multiplies), so the ids of four rows are hashed side by
   * side: four independent chains keep the core busy where one leaves it waiting. Same values as
   * {@link #of} (RowDigestTest).
   */
  static long[] of(InternalRow[] rows, int count) {
    long[] h = new long[count];
    ArrayData[] ids = new ArrayData[count];
    int common = Integer.MAX_VALUE;
    for (int k = 0; k < count; k++) {
      h[k] = XXH64.hashLong(rows[k].getLong(0), SEED);
      ids[k] = rows[k].getArray(1);
      common = Math.min(common, ids[k].numElements());
    }
    int done = 0;
    if (count == LANES) {
      ArrayData a = ids[0];
      ArrayData b = ids[1];
      ArrayData c = ids[2];
      ArrayData d = ids[3];
      long ha = h[0];
      long hb = h[1];
      long hc = h[2];
      long hd = h[3];
      for (int i = 0; i < common; i++) {
        ha = XXH64.hashInt(a.getInt(i), ha);
        hb = XXH64.hashInt(b.getInt(i), hb);
        hc = XXH64.hashInt(c.getInt(i), hc);
        hd = XXH64.hashInt(d.getInt(i), hd);
      }
      h[0] = ha;
      h[1] = hb;
      h[2] = hc;
      h[3] = hd;
      done = common;
    }
    for (int k = 0; k < count; k++) {
      for (int i = done, n = ids[k].numElements(); i < n; i++) {
        h[k] = XXH64.hashInt(ids[k].getInt(i), h[k]);
      }
      h[k] = finish(rows[k], h[k]);
    }
    return h;
  }

  /** The hash chain after the ids: spans, then pad_tokens. */
  private static long finish(InternalRow r, long h) {
    h = XxHash64Function$.MODULE$.hash(r.getArray(2), SPANS, h);
    return XXH64.hashInt(r.getInt(4), h);
  }

  static final int LANES = 4;

  /**
   * One task's rows on their way into the digest, hashed {@link #LANES} at a time. Holds up to that
   * many rows (their arrays are not reused by the assembler); {@link #flush} at the end of the
   * partition.
   */
  public static final class Lanes {
    private final RowDigest into;
    private final InternalRow[] rows = new InternalRow[LANES];
    private int count;

    public Lanes(RowDigest into) {
      this.into = into;
    }

    public void add(InternalRow r) {
      rows[count++] = r;
      if (count == LANES) {
        flush();
      }
    }

    public void flush() {
      if (count == 0) {
        return;
      }
      for (long h : of(rows, count)) {
        into.addHash(h);
      }
      java.util.Arrays.fill(rows, null);
      count = 0;
    }
  }

  @Override
  public synchronized boolean isZero() {
    return xor == 0;
  }

  @Override
  public synchronized RowDigest copy() {
    RowDigest d = new RowDigest();
    d.xor = xor;
    return d;
  }

  @Override
  public synchronized void reset() {
    xor = 0;
  }

  @Override
  public synchronized void add(Long h) {
    xor ^= h;
  }

  synchronized void addHash(long h) {
    xor ^= h;
  }

  @Override
  public void merge(AccumulatorV2<Long, Long> other) {
    add(other.value());
  }

  @Override
  public synchronized Long value() {
    return xor;
  }
}
