package dev.longmix.jobs.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.tokenize.TokenizeJob;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramJobTest {
  @TempDir Path dir;

  @Test
  void histogramDoesNotDependOnPartitioningAndReadsBackFromJson() {
    SparkSession spark = LocalSpark.get();
    List<Row> rows = new ArrayList<>();
    LengthHistogram expected = LengthHistogram.fig2();
    for (int i = 0; i < 500; i++) {
      String d = i % 3 == 0 ? "A" : "B";
      int n = 1 + (i * 7919) % 20_000;
      expected.add(d, n);
      rows.add(RowFactory.create((long) i, d, n, n, new int[] {1}, "x", (long) i));
    }
    String one = dir.resolve("one").toString();
    String many = dir.resolve("many").toString();
    spark
        .createDataFrame(rows, TokenizeJob.SCHEMA)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(one);
    spark
        .createDataFrame(rows, TokenizeJob.SCHEMA)
        .repartition(9)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(many);
    HistogramJob.Pair a = HistogramJob.count(spark, one, 4096);
    HistogramJob.Pair b = HistogramJob.count(spark, many, 4096);
    assertEquals(expected, a.fig2);
    assertEquals(a.fig2, b.fig2);
    assertEquals(a.log, b.log);

    String out = dir.resolve("hist").toString();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    HistogramJob.run(spark, HistogramConfig.of(many, out, 4096, "fp", Map.of()), quiet);
    HistogramFiles.Loaded loaded =
        HistogramFiles.read(spark.sparkContext().hadoopConfiguration(), "histogram", out);
    assertEquals(expected, loaded.fig2());
    assertEquals("fp", loaded.inputFingerprint());
    long parquetTokens =
        spark
            .read()
            .parquet(out + "/" + HistogramJob.ROWS_DIR)
            .where("bins = 'fig2'")
            .agg(org.apache.spark.sql.functions.sum("tokens"))
            .first()
            .getLong(0);
    assertEquals(expected.tokens(), parquetTokens);
  }
}
