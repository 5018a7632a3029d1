package dev.longmix.jobs.pack;

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
final class RowDigest extends AccumulatorV2<Long, Long> {
  private static final long serialVersionUID = 1L;
  private static final long SEED = 42L; // xxhash64's seed
  private static final DataType SPANS = Placement.PACKED_SCHEMA.apply("spans").dataType();

  private long xor;

  /** {@code xxhash64(row, input_ids, spans, pad_tokens)} of one row of PACKED_SCHEMA. */
  static long of(InternalRow r) {
    long h = XXH64.hashLong(r.getLong(0), SEED);
    ArrayData ids = r.getArray(1);
    for (int i = 0, n = ids.numElements(); i < n; i++) {
      h = XXH64.hashInt(ids.getInt(i), h);
    }
    h = XxHash64Function$.MODULE$.hash(r.getArray(2), SPANS, h);
    return XXH64.hashInt(r.getInt(4), h);
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

  /** Adds one row's hash. */
  synchronized void addRow(InternalRow r) {
    xor ^= of(r);
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
