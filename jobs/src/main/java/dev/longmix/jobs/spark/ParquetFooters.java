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
}
