package dev.longmix.jobs.spark;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Spark settings that make writes to {@code s3a://} go through the S3A magic committer instead of
 * the rename-based FileOutputCommitter. With the magic committer, task output is uploaded as
 * pending multipart uploads that only become visible objects at job commit, so a job that fails
 * leaves no data files under the output path (and, as on every filesystem, no {@code
 * _manifest.json}, which is what marks a longmix dataset complete). Needs {@code hadoop-aws} and
 * {@code spark-hadoop-cloud} on the classpath (the launcher and the cluster images provide them).
 * Every value is a default: a {@code --conf} with the same key wins.
 */
public final class CloudCommit {
  public static final String PROTOCOL =
      "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol";
  public static final String PARQUET_COMMITTER =
      "org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter";

  private CloudCommit() {}

  /** Whether any of the outputs is on s3a. */
  public static boolean anyS3a(List<String> outputs) {
    for (String o : outputs) {
      String scheme = URI.create(o.replace(" ", "%20")).getScheme();
      if (scheme != null && scheme.toLowerCase(Locale.ROOT).equals("s3a")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The committer settings for these outputs (empty when none is on s3a), without the keys the user
   * already set.
   *
   * @throws IllegalStateException when an output is on s3a but spark-hadoop-cloud is missing, and
   *     the user did not choose a committer protocol: writing through the classic committer there
   *     would not be safe, so we stop rather than silently use it
   */
  public static Map<String, String> settings(Map<String, String> userConf, List<String> outputs) {
    Map<String, String> m = new LinkedHashMap<>();
    if (!anyS3a(outputs)) {
      return m;
    }
    if (!userConf.containsKey("spark.sql.sources.commitProtocolClass") && !loadable(PROTOCOL)) {
      throw new IllegalStateException(
          "output on s3a:// needs spark-hadoop-cloud_2.13 (class "
              + PROTOCOL
              + ") on the classpath for the S3A committer; add it to the cluster's jars or set"
              + " --conf spark.sql.sources.commitProtocolClass=... explicitly");
    }
    put(m, userConf, "spark.hadoop.fs.s3a.committer.name", "magic");
    put(m, userConf, "spark.hadoop.fs.s3a.committer.magic.enabled", "true");
    put(
        m,
        userConf,
        "spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a",
        "org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory");
    put(m, userConf, "spark.sql.sources.commitProtocolClass", PROTOCOL);
    put(m, userConf, "spark.sql.parquet.output.committer.class", PARQUET_COMMITTER);
    // A failed job's pending uploads are aborted at job cleanup, so no orphaned parts are billed.
    put(m, userConf, "spark.hadoop.fs.s3a.committer.abort.pending.uploads", "true");
    return m;
  }

  private static void put(
      Map<String, String> m, Map<String, String> userConf, String key, String value) {
    if (!userConf.containsKey(key)) {
      m.put(key, value);
    }
  }

  private static boolean loadable(String cls) {
    try {
      Class.forName(cls, false, Thread.currentThread().getContextClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
