package dev.longmix.jobs.compat;

import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * A DataFrame over Catalyst rows as they are, for {@code fast.Frames}. Spark 3.5 line: the method
 * is on {@code org.apache.spark.sql.SparkSession} itself (Scala {@code private[sql]}, public in
 * bytecode).
 */
public final class ClassicFrames {
  private ClassicFrames() {}

  public static Dataset<Row> of(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
    return spark.internalCreateDataFrame(rows, schema, false);
  }
}
