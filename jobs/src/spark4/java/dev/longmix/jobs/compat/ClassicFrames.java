package dev.longmix.jobs.compat;

import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * A DataFrame over Catalyst rows as they are, for {@code fast.Frames}. Spark 4.x line: the method
 * is on the classic (non-Connect) session, {@code org.apache.spark.sql.classic.SparkSession}.
 */
public final class ClassicFrames {
  private ClassicFrames() {}

  public static Dataset<Row> of(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
    return ((org.apache.spark.sql.classic.SparkSession) spark)
        .internalCreateDataFrame(rows, schema, false);
  }
}
