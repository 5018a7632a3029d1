package dev.longmix.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longmix.jobs.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces stages reconcile their counts with: task tallies and the written files' footers. */
class CountsCheckTest {
  @TempDir Path dir;

  @Test
  void keyedCountsMergeAcrossTasks() {
    SparkSession spark = LocalSpark.get();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    KeyedCounts counts = KeyedCounts.register(spark.sparkContext(), "test.counts", 3);
    List<Integer> xs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      xs.add(i);
    }
    // Retried tasks: ReliabilityFailedTasksTest (tokenize's counts reconcile under task failures).
    long n =
        jsc.parallelize(xs, 8)
            .mapPartitionsWithIndex(
                (p, it) -> {
                  List<Integer> out = new ArrayList<>();
                  while (it.hasNext()) {
                    int x = it.next();
                    counts.add(x % 2 == 0 ? "even" : "odd", 1, x, 2L * x);
                    out.add(x);
                  }
                  return out.iterator();
                },
                false)
            .count();
    assertEquals(1000, n);
    Map<String, long[]> v = counts.value();
    assertEquals(List.of("even", "odd"), new ArrayList<>(v.keySet()));
    assertArrayEquals(new long[] {500, 249_500, 499_000}, v.get("even"));
    assertArrayEquals(new long[] {500, 250_000, 500_000}, v.get("odd"));
    assertEquals(1000, counts.total(0));
    KeyedCounts copy = counts.copy();
    copy.add("odd", 1, 1, 1);
    assertEquals(500, counts.value().get("odd")[0], "a copy is independent");
  }

  @Test
  void footersCountTheCommittedRowsAndSkipHiddenFiles() throws Exception {
    SparkSession spark = LocalSpark.get();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    String out = dir.resolve("data").toString();
    spark.range(0, 12_345, 1, 5).write().parquet(out);
    Files.createDirectories(dir.resolve("data/_rejects"));
    Files.writeString(dir.resolve("data/_manifest.json"), "{}");
    assertEquals(12_345, ParquetFooters.rows(jsc, conf, out));
    assertEquals(5, ParquetFooters.dataFiles(conf, out).size());
    String empty = dir.resolve("empty").toString();
    spark.range(0, 0).write().parquet(empty);
    assertEquals(0, ParquetFooters.rows(jsc, conf, empty));
  }
}
