package dev.longmix.jobs.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Rows in a written Parquet dataset, from its files' footers alone (a few bytes per file, no column
 * data): how a stage checks that what its tasks counted is what the committed output holds.
 */
public final class ParquetFooters {
  private ParquetFooters() {}

  /** A data file of a dataset and its size. */
  public record DataFile(String path, long bytes) implements java.io.Serializable {}

  /** The data files of {@code dir} (Spark's reader skips names starting with _ or .), by path. */
  public static List<DataFile> list(HadoopConf conf, String dir) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf.get());
      List<DataFile> out = new ArrayList<>();
      for (FileStatus s : fs.listStatus(p)) {
        String name = s.getPath().getName();
        if (s.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
          out.add(new DataFile(s.getPath().toString(), s.getLen()));
        }
      }
      out.sort(java.util.Comparator.comparing(DataFile::path));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** The paths of {@link #list}. */
  public static List<String> dataFiles(HadoopConf conf, String dir) {
    return list(conf, dir).stream().map(DataFile::path).toList();
  }

  /** The row count of {@code dir}: the sum of its data files' footer counts, read by the tasks. */
  public static long rows(JavaSparkContext jsc, HadoopConf conf, String dir) {
    List<String> files = dataFiles(conf, dir);
    if (files.isEmpty()) {
      return 0;
    }
    int slices = Math.max(1, Math.min(files.size(), 4 * jsc.defaultParallelism()));
    return jsc.parallelize(files, slices)
        .mapPartitions(
            TaskHook.wrap(
                "footers",
                (java.util.Iterator<String> paths) -> {
                  long n = 0;
                  while (paths.hasNext()) {
                    try (ParquetFileReader r = conf.openParquet(paths.next())) {
                      n += r.getRecordCount();
                    }
                  }
                  return List.of(n).iterator();
                }))
        .fold(0L, Long::sum);
  }

  /**
   * The largest value of the int32 column {@code path} (dotted, e.g. {@code
   * input_ids.list.element}) in {@code dir}'s data files, from their footers' statistics alone;
   * empty when a file has none for it (or holds no value of it), so the caller must scan instead.
   */
  public static java.util.OptionalLong maxInt(
      JavaSparkContext jsc, HadoopConf conf, String dir, String path) {
    List<String> files = dataFiles(conf, dir);
    if (files.isEmpty()) {
      return java.util.OptionalLong.empty();
    }
    int slices = Math.max(1, Math.min(files.size(), 4 * jsc.defaultParallelism()));
    List<Long> maxima =
        jsc.parallelize(files, slices)
            .mapPartitions(
                TaskHook.wrap(
                    "footers",
                    (java.util.Iterator<String> paths) -> {
                      List<Long> out = new ArrayList<>();
                      while (paths.hasNext()) {
                        try (ParquetFileReader r = conf.openParquet(paths.next())) {
                          out.add(maxInt(r, path));
                        }
                      }
                      return out.iterator();
                    }))
            .collect();
    long max = Long.MIN_VALUE;
    for (long m : maxima) {
      if (m == NO_STATISTICS) {
        return java.util.OptionalLong.empty();
      }
      if (m != NO_ROWS) {
        max = Math.max(max, m);
      }
    }
    return max == Long.MIN_VALUE ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(max);
  }

  private static final long NO_STATISTICS = Long.MIN_VALUE;
  private static final long NO_ROWS = Long.MIN_VALUE + 1;

  /** The file's largest value of {@code path}, {@link #NO_ROWS} or {@link #NO_STATISTICS}. */
  private static long maxInt(ParquetFileReader r, String path) {
    long max = NO_STATISTICS;
    boolean any = false;
    for (org.apache.parquet.hadoop.metadata.BlockMetaData b : r.getFooter().getBlocks()) {
      if (b.getRowCount() == 0) {
        continue;
      }
      boolean found = false;
      for (org.apache.parquet.hadoop.metadata.ColumnChunkMetaData c : b.getColumns()) {
        if (c.getPath().toDotString().equals(path)) {
          org.apache.parquet.column.statistics.Statistics<?> st = c.getStatistics();
          if (st == null
              || st.isEmpty()
              || !st.hasNonNullValue()
              || !(st instanceof org.apache.parquet.column.statistics.IntStatistics is)) {
            return NO_STATISTICS;
          }
          max = any ? Math.max(max, is.getMax()) : is.getMax();
          any = true;
          found = true;
        }
      }
      if (!found) {
        return NO_STATISTICS;
      }
    }
    return any ? max : NO_ROWS;
  }
}
