package dev.longmix.jobs.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.longmix.common.pack.RowFragment;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.spark.DirectParquetFormat;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.ParquetFooters;
import dev.longmix.jobs.spark.StageProgress;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page-level ids pass returns exactly the selected documents' ids, whoever wrote the files. */
class IdsScanTest {
  @TempDir Path dir;

  static final StructType DOCS =
      new StructType()
          .add("doc_id", DataTypes.LongType, false)
          .add("domain", DataTypes.StringType, false)
          .add("n_tokens", DataTypes.IntegerType, false)
          .add("input_ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false);

  /** Documents with empty, short and page-spanning id lists. */
  static List<Row> docs(int n, Random r) {
    return docs(n, r, true);
  }

  /** Documents with short and page-spanning id lists, and empty ones if asked. */
  static List<Row> docs(int n, Random r, boolean empty) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len =
          empty && i % 13 == 0 ? 0 : i % 17 == 0 ? 300_000 : 1 + r.nextInt(empty ? 3_000 : 200);
      Integer[] ids = new Integer[len];
      for (int j = 0; j < len; j++) {
        ids[j] = i % 2 == 0 ? r.nextInt(32_000) : (i * 31 + j) % 7; // the odd ones compress well
      }
      out.add(RowFactory.create(1000L + 7L * i, "d" + (i % 3), len, Arrays.asList(ids)));
    }
    return out;
  }

  /** One row as long as everything: each selected document's one item is one fragment. */
  static final int SEQ_LEN = 1 << 30;

  private List<RowFragment> scan(
      String path, TreeMap<Long, List<Row>> perDoc, long documents, long tokens) {
    SparkSession spark = LocalSpark.get();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    StageProgress p =
        StageProgress.create(spark, "test", 0, new PrintStream(OutputStream.nullOutputStream()));
    StageProgress.Pass pass = p.pass("ids", "documents", 1, 1, 1, true);
    List<String> files = ParquetFooters.dataFiles(conf, path);
    List<RowFragment> rows =
        jsc.parallelize(files, files.size())
            .mapPartitions(
                new IdsScan(
                    jsc.broadcast(conf),
                    jsc.broadcast(new IdsScan.SelectedDocs(perDoc)),
                    pass,
                    SEQ_LEN,
                    1))
            .collect();
    assertEquals(documents, pass.items(), "documents read, for the progress line");
    assertEquals(tokens, pass.tokens(), "ids read, for the progress line");
    return rows;
  }

  private void check(String format, Map<String, String> options) {
    check(format, options, true);
  }

  private void check(String format, Map<String, String> options, boolean empty) {
    SparkSession spark = LocalSpark.get();
    Random r = new Random(11);
    List<Row> docs = docs(400, r, empty);
    Dataset<Row> df = spark.createDataFrame(docs, DOCS).repartition(3);
    String path = dir.resolve(format.replaceAll("\\W", "_") + options.size() + empty).toString();
    var w =
        df.write()
            .mode(SaveMode.Overwrite)
            .option("compression", "zstd")
            .option("parquet.block.size", Long.toString(1L << 20));
    options.forEach(w::option);
    w.format(format).save(path);

    // Select every third document, each with one item: the whole document, placed after the
    // previous one; then each document's ids come back as one fragment.
    TreeMap<Long, List<Row>> perDoc = new TreeMap<>();
    TreeMap<Long, int[]> expected = new TreeMap<>();
    long at = 0;
    for (Row d : docs) {
      long id = d.getLong(0);
      int len = d.getInt(2);
      if (id % 3 == 0 && len > 0) {
        perDoc.put(id, List.of(RowFactory.create(at, d.getString(1), 0, 1, 0, len)));
        at += len;
        @SuppressWarnings("unchecked")
        List<Integer> ids = (List<Integer>) d.get(3);
        expected.put(id, ids.stream().mapToInt(Integer::intValue).toArray());
      }
    }
    long tokens = docs.stream().mapToLong(d -> d.getInt(2)).sum();
    List<RowFragment> got = scan(path, perDoc, docs.size(), tokens);
    TreeMap<Long, int[]> actual = new TreeMap<>();
    for (RowFragment f : got) {
      actual.put(f.docId(), f.tokens());
      assertEquals(0, f.row());
      assertEquals(perDoc.get(f.docId()).get(0).getLong(0), f.offsetInRow(), "placed at");
      assertEquals(perDoc.get(f.docId()).get(0).getString(1), f.domain());
    }
    assertEquals(expected.keySet(), actual.keySet(), format + " " + options);
    expected.forEach((id, ids) -> assertArrayEquals(ids, actual.get(id), "doc " + id));
  }

  @Test
  void longmixsOwnFilesThroughThePagePath() {
    check(
        DirectParquetFormat.NAME,
        Map.of(
            "parquet.enable.dictionary#input_ids.list.element", "false",
            "parquet.page.size.row.check.min", "1",
            "parquet.page.size.row.check.max", "1"));
  }

  @Test
  void pagesWithoutEmptyListsThroughTheRunWalk() {
    // No empty list: every page takes the walk over the repetition levels' runs.
    check(
        DirectParquetFormat.NAME,
        Map.of(
            "parquet.enable.dictionary#input_ids.list.element", "false",
            "parquet.page.size.row.check.min", "1",
            "parquet.page.size.row.check.max", "1"),
        false);
    check("parquet", Map.of("parquet.enable.dictionary#input_ids.list.element", "false"), false);
  }

  @Test
  void sparksWriterWithoutDictionaryThroughThePagePath() {
    // Spark's writer packs short level runs bit by bit: the hybrid decoder's other branch.
    check("parquet", Map.of("parquet.enable.dictionary#input_ids.list.element", "false"));
  }

  @Test
  void dictionaryEncodedIdsThroughTheColumnReader() {
    check("parquet", Map.of());
  }

  @Test
  void levelsDecodeRleAndBitPackedRuns() {
    // RLE run of 5 zeros, a bit-packed group of 8 (1,0,1,1,0,0,0,1), an RLE run of 3 ones.
    byte[] runs = {
      (byte) (5 << 1), 0, (byte) ((1 << 1) | 1), (byte) 0b10001101, (byte) (3 << 1), 1
    };
    ByteBuffer b = ByteBuffer.allocate(4 + runs.length + 2).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(runs.length).put(runs).put((byte) 42).put((byte) 43).flip();
    byte[] out = new byte[16];
    IdsScan.levels(b, out, 16);
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1}, out);
    assertEquals(42, b.get(), "left just after the levels");
    ByteBuffer shortRuns = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
    shortRuns.putInt(2).put((byte) (2 << 1)).put((byte) 1).flip();
    assertThrows(IllegalStateException.class, () -> IdsScan.levels(shortRuns, new byte[3], 3));
  }

  @Test
  void rowStartsAreWhereRepetitionLevelsAreZero() {
    // RLE run of 5 zeros, a bit-packed group of 8 (1,0,1,1,0,0,0,1), an RLE run of 3 ones.
    byte[] runs = {
      (byte) (5 << 1), 0, (byte) ((1 << 1) | 1), (byte) 0b10001101, (byte) (3 << 1), 1
    };
    ByteBuffer b = ByteBuffer.allocate(4 + runs.length + 1).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(runs.length).put(runs).put((byte) 42).flip();
    int[] starts = new int[16];
    int n = IdsScan.rowStarts(b, starts, 16);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 6, 9, 10, 11}, Arrays.copyOf(starts, n));
    assertEquals(42, b.get(), "left just after the levels");
    b.rewind();
    assertEquals(false, IdsScan.allOnes(b, 16), "zeros among the levels");
  }

  @Test
  void allOnesReadsRunsAndBitPackedGroupsUpToTheLevelCount() {
    // RLE run of 5 ones, a bit-packed group of eight 1s, a group of six 1s padded with 0s.
    byte[] runs = {(byte) (5 << 1), 1, (byte) ((2 << 1) | 1), (byte) 0xFF, (byte) 0b00111111};
    ByteBuffer b = ByteBuffer.allocate(4 + runs.length + 1).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(runs.length).put(runs).put((byte) 42).flip();
    assertEquals(true, IdsScan.allOnes(b, 19));
    assertEquals(42, b.get(), "left just after the levels");
    b.rewind();
    assertEquals(false, IdsScan.allOnes(b, 20), "the twentieth level is a 0");
    ByteBuffer five = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
    five.putInt(2).put((byte) (5 << 1)).put((byte) 1).flip();
    assertThrows(IllegalStateException.class, () -> IdsScan.allOnes(five, 8), "fewer levels");
  }
}
