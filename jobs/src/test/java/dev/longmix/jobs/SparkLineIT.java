package dev.longmix.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job jar built for one Spark line, run on the other line's Spark (directly, and through
 * SparkSubmit as a cluster would), stops at start with exit 2 and a message naming both lines, not
 * with a NoSuchMethodError mid-job; both directions. Needs both builds: this one and the other
 * line's ({@code jobs/target} and {@code jobs/target/spark3.5}); .ci/run builds the default line
 * before the Spark 3.5 pass, so that pass runs it (the first skips, saying why).
 */
class SparkLineIT {
  @TempDir Path tmp;

  /** The other line's build folder: jobs/target beside jobs/target/spark3.5, or the reverse. */
  static Path otherBuild() {
    Path here = TestData.buildDir();
    return here.getFileName().toString().equals("spark3.5")
        ? here.getParent()
        : here.resolve("spark3.5");
  }

  static Path jarIn(Path build) throws IOException {
    try (Stream<Path> s = Files.list(build)) {
      return s.filter(p -> p.getFileName().toString().matches("longmix-jobs-spark.*\\.jar"))
          .findFirst()
          .orElseThrow();
    }
  }

  static String line(Path jar) {
    // longmix-jobs-spark3.5_2.12.jar -> "Spark 3.5 / Scala 2.12"
    String n = jar.getFileName().toString().replace("longmix-jobs-spark", "").replace(".jar", "");
    String[] p = n.split("_");
    return "Spark " + p[0] + " / Scala " + p[1];
  }

  @Test
  void aJarBuiltForOneLineStopsAtStartOnTheOtherNamingBoth() throws Exception {
    Path other = otherBuild();
    Assumptions.assumeTrue(
        Files.isDirectory(other.resolve("spark-jars"))
            && Files.list(other).anyMatch(p -> p.toString().endsWith(".jar")),
        "needs the other Spark line's build in "
            + other
            + " (mvn package and mvn -Pspark-3.5 package); .ci/run's second pass has it");
    Path thisJar = TestData.jobJar();
    Path otherJar = jarIn(other);
    check(thisJar, other.resolve("spark-jars"), line(otherJar));
    check(otherJar, TestData.sparkJars(), line(thisJar));
  }

  /** {@code jar} run on the Spark jars of {@code sparkJars}, whose line is {@code runningLine}. */
  void check(Path jar, Path sparkJars, String runningLine) throws Exception {
    String builtLine = line(jar);
    List<String> args =
        List.of(
            "tokenize",
            "--input",
            tmp.resolve("no-corpus").toString(),
            "--output",
            tmp.resolve("out").toString(),
            "--tokenizer",
            TestData.defaultTokenizer().toString(),
            "--master",
            "local[1]");
    // As ./longmix runs it, and as spark-submit does on a cluster.
    List<String> direct = new ArrayList<>(JobJarIT.java());
    direct.addAll(
        List.of("-cp", jar + File.pathSeparator + sparkJars + "/*", "dev.longmix.jobs.Main"));
    direct.addAll(args);
    List<String> submit = new ArrayList<>(JobJarIT.java());
    submit.addAll(
        List.of(
            "-cp",
            sparkJars + "/*",
            "org.apache.spark.deploy.SparkSubmit",
            "--master",
            "local[1]",
            "--class",
            "dev.longmix.jobs.Main",
            jar.toString()));
    submit.addAll(args);
    for (List<String> cmd : List.of(direct, submit)) {
      Path log = tmp.resolve("line.log");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("timed out:\n" + Files.readString(log));
      }
      String out = Files.readString(log);
      assertEquals(2, p.exitValue(), out);
      assertTrue(out.contains("built for " + builtLine), out);
      // "running on Spark 4.0.1 / Scala 2.13" for the line "Spark 4.0 / Scala 2.13".
      String[] running = runningLine.split(" / ");
      assertTrue(
          out.matches("(?s).*running on " + running[0] + "\\.\\d+ / " + running[1] + ".*"), out);
      assertFalse(out.contains("NoSuchMethodError") || out.contains("ClassNotFound"), out);
      assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
      System.out.println(
          "[spark-line] " + jar.getFileName() + " on " + runningLine + ": " + firstLine(out));
    }
  }

  static String firstLine(String out) {
    return out.lines().filter(l -> l.startsWith("longmix")).findFirst().orElse(out);
  }
}
