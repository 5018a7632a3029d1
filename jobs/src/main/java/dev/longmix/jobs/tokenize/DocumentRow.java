package dev.longmix.jobs.tokenize;

import dev.longmix.common.corpus.DocumentId;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One row of the tokenized dataset ({@link TokenizeJob#SCHEMA}) as a Catalyst row: the ids go in as
 * one primitive-array copy instead of a boxed Integer each, which halved the stage's time.
 */
final class DocumentRow {
  private DocumentRow() {}

  static InternalRow of(
      String relativeSource, UTF8String source, long line, String domain, int chars, int[] ids) {
    return new GenericInternalRow(
        new Object[] {
          DocumentId.of(relativeSource, line),
          UTF8String.fromString(domain),
          ids.length,
          chars,
          UnsafeArrayData.fromPrimitiveArray(ids),
          source,
          line
        });
  }
}
