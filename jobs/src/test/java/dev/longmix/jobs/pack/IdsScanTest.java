package dev.longmix.jobs.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longmix.common.pack.RowFragment;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.fast.DirectParquetFormat;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.ParquetFooters;
import dev.longmix.jobs.spark.StageProgress;
import java.io.OutputStream;
import java.io.PrintStream;
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

  /**
   * The ids pass over {@code path} for one item per document of {@code lengths} (the whole
   * document, at the start given), the documents found in their files by the selection's own read
   * ({@link MetaScan}).
   */
  private List<RowFragment> scan(
      String path, TreeMap<Long, long[]> selected, long documents, long tokens) {
    SparkSession spark = LocalSpark.get();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    StageProgress p =
        StageProgress.create(spark, "test", 0, new PrintStream(OutputStream.nullOutputStream()));
    StageProgress.Pass metaPass = p.pass("meta", "documents", 1, 1, 1, false);
    StageProgress.Pass pass = p.pass("ids", "documents", 1, 1, 1, true);
    List<String> files = ParquetFooters.dataFiles(conf, path);
    // Two groups, so a task reads several files and one file's items never reach another task.
    List<int[]> groups = new ArrayList<>();
    for (int g = 0; g < 2; g++) {
      final int k = g;
      groups.add(
          java.util.stream.IntStream.range(0, files.size()).filter(i -> i % 2 == k).toArray());
    }
    var bconf = jsc.broadcast(conf);
    var bfiles = jsc.broadcast(files);
    String[] domains = {"d0", "d1", "d2"};
    SelectedItems all = new SelectedItems(domains);
    for (DocMeta m :
        jsc.parallelize(groups, groups.size())
            .mapPartitions(new MetaScan(bconf, bfiles, metaPass, jsc.broadcast(new long[0])))
            .collect()) {
      for (int i = 0; i < m.size(); i++) {
        long[] sel = selected.get(m.docIds()[i]);
        if (sel != null) {
          int d = Integer.parseInt(m.domain(i).substring(1));
          int n = m.nTokens()[i];
          all.add(sel[0], m.docIds()[i], 0, 1, d, 0, n, n, false, m.file());
        }
      }
    }
    // Placed as the driver path does: packing order, starts, then one block per group.
    SelectedItems placedAll = all.forPacking();
    placedAll.place(0);
    int[] groupOfFile = new int[files.size()];
    for (int g = 0; g < groups.size(); g++) {
      for (int f : groups.get(g)) {
        groupOfFile[f] = g;
      }
    }
    List<SelectedItems> placed = Arrays.asList(placedAll.byGroup(groupOfFile, groups.size()));
    List<RowFragment> rows =
        jsc.parallelize(placed, groups.size())
            .mapPartitionsWithIndex(
                new IdsScan(
                    bconf,
                    bfiles,
                    jsc.broadcast(groups),
                    domains,
                    pass,
                    SEQ_LEN,
                    1,
                    jsc.broadcast(new dev.longmix.jobs.evalset.EvalPool(new int[0], new long[0])),
                    jsc.sc().collectionAccumulator()),
                true)
            .collect();
    assertEquals(documents, pass.items(), "documents read, for the progress line");
    assertEquals(tokens, pass.tokens(), "ids read, for the progress line");
    assertEquals(documents, metaPass.items(), "documents the selection's read counted");
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

    // Select every third document, each with one item: the whole document. Items are placed in
    // their packing order (the order key here: the doc id), so each document's ids come back as
    // one fragment at the running sum of the lengths before it.
    TreeMap<Long, long[]> selected = new TreeMap<>();
    TreeMap<Long, int[]> expected = new TreeMap<>();
    TreeMap<Long, String> domainOf = new TreeMap<>();
    for (Row d : docs) {
      long id = d.getLong(0);
      int len = d.getInt(2);
      if (id % 3 == 0 && len > 0) {
        selected.put(id, new long[] {id});
        domainOf.put(id, d.getString(1));
        @SuppressWarnings("unchecked")
        List<Integer> ids = (List<Integer>) d.get(3);
        expected.put(id, ids.stream().mapToInt(Integer::intValue).toArray());
      }
    }
    TreeMap<Long, Long> startOf = new TreeMap<>();
    long at = 0;
    for (Map.Entry<Long, int[]> e : expected.entrySet()) {
      startOf.put(e.getKey(), at);
      at += e.getValue().length;
    }
    long tokens = docs.stream().mapToLong(d -> d.getInt(2)).sum();
    List<RowFragment> got = scan(path, selected, docs.size(), tokens);
    TreeMap<Long, int[]> actual = new TreeMap<>();
    for (RowFragment f : got) {
      actual.put(f.docId(), f.tokens());
      assertEquals(0, f.row());
      assertEquals(domainOf.get(f.docId()), f.domain());
      assertEquals(startOf.get(f.docId()), f.offsetInRow(), "placed at");
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
}
