package dev.longmix.jobs.fast;

import dev.longmix.jobs.compat.ClassicFrames;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * DataFrames from Catalyst rows. The public {@code createDataFrame(rows, schema)} converts every
 * element of an {@code int[]} through a boxed Integer; for token ids (billions of them) that
 * conversion cost more than writing the Parquet, so our tasks build {@link InternalRow}s with
 * unsafe primitive arrays and hand them over as they are (the call differs by Spark line: {@link
 * ClassicFrames}).
 */
public final class Frames {
  private Frames() {}

  public static Dataset<Row> fromInternalRows(
      SparkSession spark, JavaRDD<InternalRow> rows, StructType schema) {
    return ClassicFrames.of(spark, rows.rdd(), schema);
  }
}
