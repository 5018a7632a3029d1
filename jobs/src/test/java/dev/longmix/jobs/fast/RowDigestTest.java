package dev.longmix.jobs.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longmix.common.pack.PackedRow;
import dev.longmix.common.pack.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.XxHash64Function$;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;

class RowDigestTest {
  private static InternalRow row(SplittableRandom rnd, long index, int length) {
    int[] ids = new int[length];
    for (int i = 0; i < length; i++) {
      ids[i] = rnd.nextInt();
    }
    int pad = length == 0 ? 0 : rnd.nextInt(length);
    List<Span> spans =
        length == 0
            ? List.of()
            : List.of(new Span(0, length - pad, "arxiv", rnd.nextLong(), rnd.nextInt(3), 0, 0));
    return dev.longmix.jobs.pack.PackedSchema.toInternal(new PackedRow(index, ids, spans, pad));
  }

  /** xxhash64(row, input_ids, spans, pad_tokens) as Spark SQL folds it over the columns. */
  private static long sql(InternalRow r) {
    long h = 42;
    for (int c : new int[] {0, 1, 2, 4}) {
      StructField f = dev.longmix.jobs.pack.PackedSchema.ROWS.fields()[c];
      h = XxHash64Function$.MODULE$.hash(r.get(c, f.dataType()), f.dataType(), h);
    }
    return h;
  }

  @Test
  void oneRowIsSparkSqlsXxhash64() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int length : new int[] {0, 1, 7, 4096}) {
      InternalRow r = row(rnd, length + 3L, length);
      assertEquals(sql(r), RowDigest.of(r), "length " + length);
    }
  }

  @Test
  void rowsHashedSideBySideGiveEachRowsOwnHash() {
    SplittableRandom rnd = new SplittableRandom(2);
    // four lanes of unequal lengths (the common prefix, then each row's own tail), and fewer
    // rows than lanes
    int[][] batches = {{100, 100, 100, 100}, {100, 37, 0, 250}, {5, 9, 1, 80}, {64}, {3, 300, 2}};
    for (int[] lengths : batches) {
      InternalRow[] rows = new InternalRow[RowDigest.LANES];
      for (int k = 0; k < lengths.length; k++) {
        rows[k] = row(rnd, k, lengths[k]);
      }
      long[] h = RowDigest.of(rows, lengths.length);
      for (int k = 0; k < lengths.length; k++) {
        assertEquals(RowDigest.of(rows[k]), h[k], "row " + k + " of " + lengths.length);
      }
    }
  }

  @Test
  void lanesAddEveryRowOnceWhateverTheCount() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int n : new int[] {0, 1, 3, 4, 5, 11}) {
      List<InternalRow> rows = new ArrayList<>();
      long expected = 0;
      for (int i = 0; i < n; i++) {
        InternalRow r = row(rnd, i, 50 + rnd.nextInt(200));
        rows.add(r);
        expected ^= RowDigest.of(r);
      }
      RowDigest d = new RowDigest();
      RowDigest.Lanes lanes = new RowDigest.Lanes(d);
      rows.forEach(lanes::add);
      lanes.flush();
      lanes.flush();
      assertEquals(expected, (long) d.value(), n + " rows");
    }
  }
}
