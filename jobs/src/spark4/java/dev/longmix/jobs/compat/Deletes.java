package dev.longmix.jobs.compat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.BulkDelete;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Deleting many files under one folder. Spark 4.x line: Hadoop 3.4.1+ has bulk deletes. */
public final class Deletes {
  private Deletes() {}

  /**
   * Deletes these files under {@code base} a page at a time where the filesystem can (S3A: one
   * request per {@code fs.s3a.bulk.delete.page.size} objects), else one by one.
   */
  public static void files(FileSystem fs, Path base, List<Path> files) throws IOException {
    try (BulkDelete bulk = fs.createBulkDelete(base)) {
      int page = Math.max(1, bulk.pageSize());
      for (int i = 0; i < files.size(); i += page) {
        List<Map.Entry<Path, String>> failed =
            bulk.bulkDelete(files.subList(i, Math.min(files.size(), i + page)));
        if (!failed.isEmpty()) {
          throw new IOException(
              "could not delete " + failed.size() + " files under " + base + ": " + failed);
        }
      }
    } catch (UnsupportedOperationException | LinkageError noBulkDelete) {
      // A cluster's Hadoop before 3.4.1, or a filesystem without it.
      for (Path f : files) {
        fs.delete(f, false);
      }
    }
  }
}
