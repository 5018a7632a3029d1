package dev.longmix.jobs.compat;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Deleting many files under one folder. Spark 3.5 line: Hadoop 3.3 has no bulk delete API, so one
 * request per file.
 */
public final class Deletes {
  private Deletes() {}

  public static void files(FileSystem fs, Path base, List<Path> files) throws IOException {
    for (Path f : files) {
      fs.delete(f, false);
    }
  }
}
