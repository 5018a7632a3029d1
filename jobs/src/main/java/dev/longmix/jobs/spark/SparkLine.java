package dev.longmix.jobs.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * A Spark line: the Spark and Scala versions a job jar was built for or runs on. A jar compiled
 * against one line fails on another only mid-job, with a {@code NoSuchMethodError} or a {@code
 * ClassNotFoundException} in a task, after the cluster was paid for; {@code Main} compares the line
 * recorded in the jar at build time ({@code longmix-build.properties}, filtered by Maven) with the
 * running one before anything else and stops naming both.
 *
 * @param spark the Spark version (built: the line, e.g. {@code 3.5}; running: e.g. {@code 4.0.1})
 * @param scalaBinary the Scala binary version, e.g. {@code 2.12}
 */
public record SparkLine(String spark, String scalaBinary) {
  static final String RESOURCE = "/longmix-build.properties";

  /** The line this jar was built for. */
  public static SparkLine built() {
    Properties p = new Properties();
    try (InputStream in = SparkLine.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the job jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SparkLine(p.getProperty("spark.line"), p.getProperty("scala.binary.version"));
  }

  /** The line this JVM runs: Spark's own version constant and the Scala library's. */
  public static SparkLine running() {
    return new SparkLine(
        org.apache.spark.package$.MODULE$.SPARK_VERSION(),
        scala.util.Properties.versionNumberString().replaceAll("^(\\d+\\.\\d+).*", "$1"));
  }

  /** The file name of the job jar built for a line, e.g. {@code longmix-jobs-spark3.5_2.12.jar}. */
  public static String jarName(String line, String scala) {
    return "longmix-jobs-spark" + line + "_" + scala + ".jar";
  }

  /**
   * Why a jar built for {@code built} cannot run on {@code running}, or empty when it can: the same
   * Scala binary version, the same Spark major version and a minor version at least the one built
   * against (a 4.0 jar runs on 4.2; a 4.2 jar may call what 4.0 lacks; 3.5 and 4.x differ in Scala
   * and in Spark's own classes).
   */
  public static Optional<String> mismatch(SparkLine built, SparkLine running) {
    int[] b = majorMinor(built.spark());
    int[] r = majorMinor(running.spark());
    boolean ok =
        built.scalaBinary().equals(running.scalaBinary())
            && b[0] == r[0]
            && r[1] >= b[1]
            && b[0] >= 0;
    if (ok) {
      return Optional.empty();
    }
    return Optional.of(
        "this job jar ("
            + jarName(built.spark(), built.scalaBinary())
            + ") was built for Spark "
            + built.spark()
            + " / Scala "
            + built.scalaBinary()
            + " but is running on Spark "
            + running.spark()
            + " / Scala "
            + running.scalaBinary()
            + "; use the jar built for the cluster's line: "
            + jarName("3.5", "2.12")
            + " (mvn -Pspark-3.5 package) for Spark 3.5 / Scala 2.12, "
            + jarName("4.0", "2.13")
            + " (mvn package) for Spark 4.x / Scala 2.13");
  }

  private static int[] majorMinor(String version) {
    String[] parts = version.split("[.-]");
    try {
      return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    } catch (RuntimeException e) {
      return new int[] {-1, -1};
    }
  }
}
