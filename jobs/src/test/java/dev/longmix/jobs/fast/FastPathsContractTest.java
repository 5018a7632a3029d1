package dev.longmix.jobs.fast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.pack.RowFragment;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.ParquetFooters;
import dev.longmix.jobs.tokenize.TokenizeJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.Version;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.ShuffledRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * What the fast paths in {@code jobs/fast} rely on in Spark and parquet-mr, each checked against
 * the line the build runs, failing with a message that names the versions and what changed. Each
 * fast path is one place in the code and has its own detailed test beside this one:
 *
 * <ul>
 *   <li>{@link DirectParquetFormat} / {@link DirectParquetWriter}: the files Spark's writer makes
 *       (DirectParquetFormatTest), and pages the ids pass reads by page (here);
 *   <li>{@link TokenizedFile} / {@link ParquetLevels}: ids read from V1 pages, the same ids as
 *       Spark's reader whoever wrote the file (IdsScanTest, ParquetLevelsTest, here);
 *   <li>{@link RowDigest}: Spark SQL's {@code xxhash64} of a row (RowDigestTest);
 *   <li>{@link FragmentSerializer}: a serializer set on one shuffle (FragmentSerializerTest, here);
 *   <li>{@link Frames}: a DataFrame from Catalyst rows without conversion (here).
 * </ul>
 */
class FastPathsContractTest {
  @TempDir Path dir;

  private static String versions() {
    return "Spark "
        + SparkContext.class.getPackage().getImplementationVersion()
        + " ("
        + org.apache.spark.package$.MODULE$.SPARK_VERSION()
        + "), parquet-mr "
        + Version.FULL_VERSION;
  }

  @Test
  void tokenizedFilesAreReadPageByPage() throws Exception {
    SparkSession spark = LocalSpark.get();
    List<Row> docs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int[] ids = new int[1 + (i * 7919) % 5000];
      for (int j = 0; j < ids.length; j++) {
        ids[j] = (i + j) % 32_000;
      }
      List<Integer> boxed = new ArrayList<>();
      for (int x : ids) {
        boxed.add(x);
      }
      docs.add(
          org.apache.spark.sql.RowFactory.create(
              (long) i, "d", ids.length, ids.length, boxed, "f", (long) i));
    }
    String out = dir.resolve("tokenized").toString();
    // As tokenize writes: its format and options.
    spark
        .createDataFrame(docs, TokenizeJob.SCHEMA)
        .repartition(2)
        .write()
        .mode(SaveMode.Overwrite)
        .option("compression", "zstd")
        .option("parquet.enable.dictionary#input_ids.list.element", "false")
        .option("parquet.block.size", Long.toString(256L << 10))
        .format(DirectParquetFormat.NAME)
        .save(out);
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    int groups = 0;
    for (String f : ParquetFooters.dataFiles(conf, out)) {
      try (TokenizedFile file = TokenizedFile.open(conf, f, TokenizedFile.Columns.IDS)) {
        TokenizedFile.RowGroup rg;
        while ((rg = file.nextRowGroup()) != null) {
          groups++;
          assertTrue(
              rg.idsByPage(),
              "under "
                  + versions()
                  + " tokenize's ids are no longer V1 PLAIN pages with RLE levels and no"
                  + " dictionary: the ids pass would read every id value by value");
        }
      }
    }
    assertTrue(groups >= 2, "row groups written: " + groups);
  }

  @Test
  void aDataFrameComesFromCatalystRowsAsTheyAre() {
    SparkSession spark = LocalSpark.get();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    org.apache.spark.sql.types.StructType schema =
        new org.apache.spark.sql.types.StructType()
            .add("s", org.apache.spark.sql.types.DataTypes.StringType, false)
            .add(
                "ids",
                org.apache.spark.sql.types.DataTypes.createArrayType(
                    org.apache.spark.sql.types.DataTypes.IntegerType, false),
                false);
    JavaRDD<InternalRow> rows =
        jsc.parallelize(List.of(1, 2), 2)
            .map(
                i ->
                    (InternalRow)
                        new GenericInternalRow(
                            new Object[] {
                              UTF8String.fromString("r" + i),
                              UnsafeArrayData.fromPrimitiveArray(new int[] {i, i + 1, i + 2})
                            }));
    List<Row> back = Frames.fromInternalRows(spark, rows, schema).orderBy("s").collectAsList();
    assertEquals(2, back.size(), versions());
    assertEquals("r1", back.get(0).getString(0), versions());
    assertEquals(List.of(2, 3, 4), back.get(1).getList(1), versions());
  }

  @Test
  void oneShuffleCarriesFragmentsThroughItsOwnSerializer() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
    List<Tuple2<Long, RowFragment>> in = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      in.add(
          new Tuple2<>(
              (long) i, new RowFragment(i, 0, i, "dom", 0, 0, 0, new int[] {i, 70_000 + i})));
    }
    ClassTag<Long> keyTag = ClassTag$.MODULE$.apply(Long.class);
    ClassTag<RowFragment> fragmentTag = ClassTag$.MODULE$.apply(RowFragment.class);
    ShuffledRDD<Long, RowFragment, RowFragment> shuffled =
        new ShuffledRDD<Long, RowFragment, RowFragment>(
                JavaPairRDD.fromJavaRDD(jsc.parallelize(in, 3)).rdd(),
                new org.apache.spark.HashPartitioner(4),
                keyTag,
                fragmentTag,
                fragmentTag)
            .setSerializer(new FragmentSerializer());
    List<RowFragment> out =
        new ArrayList<>(JavaPairRDD.fromRDD(shuffled, keyTag, fragmentTag).values().collect());
    out.sort(java.util.Comparator.comparingLong(RowFragment::row));
    assertEquals(50, out.size(), versions());
    for (int i = 0; i < 50; i++) {
      assertArrayEquals(new int[] {i, 70_000 + i}, out.get(i).tokens(), versions());
    }
  }
}
