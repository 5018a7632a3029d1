package dev.longmix.jobs.spark;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * A Hadoop {@link Configuration} that tasks can carry (Configuration itself is not Serializable).
 */
public final class HadoopConf implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient Configuration conf;

  /**
   * Built on first use from this configuration, one per thread: the options hold parquet-mr's codec
   * factory, whose pool of decompressors a reader releases when it closes, so two task threads
   * sharing one would modify it under each other. See {@link #openParquet}.
   */
  private transient ThreadLocal<ParquetReadOptions> readOptions;

  public HadoopConf(Configuration conf) {
    this.conf = conf;
  }

  /**
   * The Hadoop configuration a driver sees before Spark starts: defaults, then every {@code
   * spark.hadoop.*} setting spark-submit passed (as system properties: {@code --conf} and
   * spark-defaults.conf on a cluster), then the ones the user gave to longmix, exactly as Spark
   * would apply them.
   */
  public static Configuration fromSparkConf(Map<String, String> sparkConf) {
    Configuration c = new Configuration();
    System.getProperties()
        .stringPropertyNames()
        .forEach(
            k -> {
              if (k.startsWith("spark.hadoop.")) {
                c.set(k.substring("spark.hadoop.".length()), System.getProperty(k));
              }
            });
    sparkConf.forEach(
        (k, v) -> {
          if (k.startsWith("spark.hadoop.")) {
            c.set(k.substring("spark.hadoop.".length()), v);
          }
        });
    return c;
  }

  public Configuration get() {
    return conf;
  }

  /**
   * Opens a Parquet file's reader with read options built once from this configuration.
   * parquet-mr's {@code ParquetFileReader.open(InputFile)} builds them per file over a new default
   * Configuration, which parses Hadoop's default XML resources each time (it showed in profiles of
   * pack's ids pass, one file per task); a broadcast HadoopConf shares one set per executor thread.
   */
  public ParquetFileReader openParquet(String file) throws IOException {
    ThreadLocal<ParquetReadOptions> perThread;
    synchronized (this) {
      if (readOptions == null) {
        readOptions = ThreadLocal.withInitial(() -> HadoopReadOptions.builder(conf).build());
      }
      perThread = readOptions;
    }
    return ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file), conf), perThread.get());
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(in);
  }
}
