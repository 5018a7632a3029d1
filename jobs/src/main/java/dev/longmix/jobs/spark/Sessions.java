package dev.longmix.jobs.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession a command runs in, after its settings were validated. */
public final class Sessions {
  private Sessions() {}

  /**
   * A session on the given master; when spark-submit already chose a master, that one wins. Local
   * mode binds to loopback so a laptop or CI runner needs no resolvable host name.
   */
  public static SparkSession create(String appName, String master, Map<String, String> conf) {
    return create(appName, master, conf, List.of());
  }

  /**
   * As {@link #create(String, String, Map)}, for a command that writes the given outputs: outputs
   * on {@code s3a://} get the S3A magic committer (see {@link CloudCommit}).
   */
  public static SparkSession create(
      String appName, String master, Map<String, String> conf, List<String> outputs) {
    Map<String, String> all = new LinkedHashMap<>(CloudCommit.settings(conf, outputs));
    all.putAll(conf);
    return build(appName, master, all);
  }

  private static SparkSession build(String appName, String master, Map<String, String> conf) {
    SparkConf sc = new SparkConf(true).setAppName(appName);
    if (!sc.contains("spark.master")) {
      sc.setMaster(master);
    }
    String effective = sc.get("spark.master");
    if (effective.startsWith("local")) {
      sc.setIfMissing("spark.driver.host", "127.0.0.1");
      sc.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      sc.setIfMissing("spark.ui.enabled", "false");
    }
    sc.setIfMissing("spark.sql.shuffle.partitions", "64");
    sc.setIfMissing("spark.sql.parquet.compression.codec", "zstd");
    // The tokenizer's own thread pool would oversubscribe the cores Spark already uses.
    sc.setIfMissing("spark.executorEnv.TOKENIZERS_PARALLELISM", "false");
    sc.setIfMissing("spark.executorEnv.RAYON_NUM_THREADS", "1");
    sc.setIfMissing("spark.executorEnv.OPT_OUT_TRACKING", "true");
    conf.forEach(sc::set);
    SparkSession spark = SparkSession.builder().config(sc).getOrCreate();
    spark.sparkContext().setLogLevel(System.getProperty("longmix.spark.log.level", "WARN"));
    return spark;
  }
}
