package dev.longmix.jobs.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.jobs.LocalSpark;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The direct writer makes the files Spark's own Parquet writer makes of the same rows. */
class DirectParquetFormatTest {
  @TempDir Path dir;

  static final StructType SPAN =
      new StructType()
          .add("start", DataTypes.IntegerType, false)
          .add("domain", DataTypes.StringType, false)
          .add("doc_id", DataTypes.LongType, false)
          .add("continuation", DataTypes.BooleanType, false);

  static final StructType SCHEMA =
      new StructType()
          .add("row", DataTypes.LongType, false)
          .add("input_ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add("spans", DataTypes.createArrayType(SPAN, false), false)
          .add("n_tokens", DataTypes.IntegerType, false)
          .add("source", DataTypes.StringType, false)
          .add("flag", DataTypes.BooleanType, false)
          .add("lines", DataTypes.createArrayType(DataTypes.LongType, false), false);

  /** Rows with empty lists, one-element lists and lists long enough to span pages. */
  static List<Row> rows(int n) {
    Random r = new Random(7);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = i % 7 == 0 ? 0 : i % 5 == 0 ? 1 : r.nextInt(60_000);
      Integer[] ids = new Integer[len];
      for (int j = 0; j < len; j++) {
        ids[j] = j % 11 == 0 ? Integer.MIN_VALUE + j : r.nextInt(32_000) - 5;
      }
      List<Row> spans = new ArrayList<>();
      for (int s = 0; s < i % 4; s++) {
        spans.add(RowFactory.create(s * 100, s % 2 == 0 ? "arxiv" : "bööks", r.nextLong(), s > 0));
      }
      Long[] lines = i % 3 == 0 ? new Long[0] : new Long[] {(long) i, -1L, Long.MAX_VALUE};
      out.add(
          RowFactory.create(
              (long) i,
              Arrays.asList(ids),
              spans,
              len,
              "file-" + (i % 3),
              i % 2 == 0,
              Arrays.asList(lines)));
    }
    return out;
  }

  private static void write(Dataset<Row> df, String format, String path) {
    df.write()
        .mode(SaveMode.Overwrite)
        .option("compression", "zstd")
        .option("parquet.enable.dictionary#input_ids.list.element", "false")
        .option("parquet.page.size.row.check.min", "1")
        .option("parquet.page.size.row.check.max", "1")
        .option("parquet.block.size", Long.toString(1L << 20))
        .format(format)
        .save(path);
  }

  private static List<ParquetMetadata> footers(String path) throws Exception {
    List<ParquetMetadata> out = new ArrayList<>();
    File[] files = new File(path).listFiles((d, n) -> n.endsWith(".parquet"));
    Arrays.sort(files);
    for (File f : files) {
      try (ParquetFileReader r =
          ParquetFileReader.open(
              HadoopInputFile.fromPath(
                  new org.apache.hadoop.fs.Path(f.toURI()), new Configuration()))) {
        out.add(r.getFooter());
      }
    }
    return out;
  }

  @Test
  void sameRowsSchemaAndMetadataAsSparksWriter() throws Exception {
    SparkSession spark = LocalSpark.get();
    Dataset<Row> df = spark.createDataFrame(rows(120), SCHEMA).repartition(3);
    String spark0 = dir.resolve("spark").toString();
    String direct = dir.resolve("direct").toString();
    write(df, "parquet", spark0);
    write(df, DirectParquetFormat.NAME, direct);

    List<Row> a = spark.read().parquet(spark0).orderBy("row").collectAsList();
    List<Row> b = spark.read().parquet(direct).orderBy("row").collectAsList();
    assertEquals(120, b.size());
    assertEquals(a, b);
    assertEquals(spark.read().parquet(spark0).schema(), spark.read().parquet(direct).schema());

    List<ParquetMetadata> fa = footers(spark0);
    List<ParquetMetadata> fb = footers(direct);
    assertEquals(3, fb.size());
    int groups = 0;
    for (int i = 0; i < fb.size(); i++) {
      assertEquals(
          fa.get(i).getFileMetaData().getSchema(), fb.get(i).getFileMetaData().getSchema());
      assertEquals(
          fa.get(i).getFileMetaData().getKeyValueMetaData(),
          fb.get(i).getFileMetaData().getKeyValueMetaData());
      assertEquals(idStats(fa.get(i)), idStats(fb.get(i)), "input_ids min, max, nulls");
      for (BlockMetaData block : fb.get(i).getBlocks()) {
        groups++;
        for (ColumnChunkMetaData c : block.getColumns()) {
          String path = c.getPath().toDotString();
          assertEquals("ZSTD", c.getCodec().name(), path);
          if (path.equals("input_ids.list.element")) {
            assertTrue(c.getEncodings().contains(Encoding.PLAIN), path);
            assertTrue(!c.getEncodings().contains(Encoding.PLAIN_DICTIONARY), path);
          }
        }
      }
    }
    assertTrue(groups > 3, "a 1 MB block size cuts ~4 MB of ids per file into row groups");
    assertTrue(new File(direct, "_SUCCESS").exists());
  }

  /** The ids column's min, max and null count over a file's row groups. */
  private static List<Object> idStats(ParquetMetadata footer) {
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    long nulls = 0;
    long values = 0;
    for (BlockMetaData block : footer.getBlocks()) {
      for (ColumnChunkMetaData c : block.getColumns()) {
        if (c.getPath().toDotString().equals("input_ids.list.element")) {
          min = Math.min(min, (Integer) c.getStatistics().genericGetMin());
          max = Math.max(max, (Integer) c.getStatistics().genericGetMax());
          nulls += c.getStatistics().getNumNulls();
          values += c.getValueCount();
        }
      }
    }
    return List.of(min, max, nulls, values);
  }

  @Test
  void refusesNullableFieldsBeforeWritingAnything() {
    StructType nullable = new StructType().add("x", DataTypes.IntegerType, true);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new DirectParquetWriter(
                    new Configuration(),
                    new org.apache.hadoop.fs.Path(dir.resolve("never.parquet").toUri()),
                    nullable,
                    MessageTypeParser.parseMessageType("message m { optional int32 x; }"),
                    DirectParquetWriter.Settings.from(new Configuration()),
                    Map.of()));
    assertTrue(e.getMessage().contains("field x is nullable"), e.getMessage());
    assertTrue(!dir.resolve("never.parquet").toFile().exists());
  }
}
