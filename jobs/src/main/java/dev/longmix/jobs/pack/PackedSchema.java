package dev.longmix.jobs.pack;

import dev.longmix.common.pack.PackedRow;
import dev.longmix.common.pack.Span;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The packed output's Spark schema (docs/output-format.md describes it for readers): a row's
 * number, its ids, the spans that tile it, and its data and pad token counts.
 */
public final class PackedSchema {
  private PackedSchema() {}

  /** One span: a run of one item's tokens inside a row. */
  public static final StructType SPANS =
      new StructType()
          .add("start", DataTypes.IntegerType, false)
          .add("length", DataTypes.IntegerType, false)
          .add("domain", DataTypes.StringType, false)
          .add("doc_id", DataTypes.LongType, false)
          .add("piece", DataTypes.IntegerType, false)
          .add("copy", DataTypes.IntegerType, false)
          .add("from_token", DataTypes.IntegerType, false)
          .add("continuation", DataTypes.BooleanType, false);

  /** The packed dataset: one row per packed sequence. */
  public static final StructType ROWS =
      new StructType()
          .add("row", DataTypes.LongType, false)
          .add("input_ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add("spans", DataTypes.createArrayType(SPANS, false), false)
          .add("n_tokens", DataTypes.IntegerType, false)
          .add("pad_tokens", DataTypes.IntegerType, false);

  /** {@code p} as a Catalyst row of {@link #ROWS}, its ids an unsafe primitive array. */
  public static InternalRow toInternal(PackedRow p) {
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
