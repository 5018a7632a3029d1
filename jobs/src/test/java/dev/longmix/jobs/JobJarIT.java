package dev.longmix.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longmix.demo.SampleCorpus;
import dev.longmix.jobs.s3.S3Proxy;
import dev.longmix.jobs.s3.S3Settings;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded job jar on its own: it holds what a cluster does not provide (our code, the tokenizer
 * and its natives) and nothing a cluster does (Spark, Hadoop, Scala, Jackson, AWS SDK), and it runs
 * with only the cluster's jars beside it: directly, and through Spark's own SparkSubmit entry point
 * driven by deploy/spark-submit.sh against an S3 endpoint.
 */
class JobJarIT {
  static final Path ROOT = TestData.repoRoot();
  static final Path JAR = TestData.jobJar();
  static final Path SPARK_JARS = TestData.sparkJars();
  static final List<String> FORBIDDEN =
      List.of(
          "org/apache/spark/",
          "org/apache/hadoop/",
          "org/apache/parquet/",
          "scala/",
          "com/fasterxml/jackson/",
          "software/amazon/",
          "com/amazonaws/",
          // Clusters ship these too: SLF4J is provided (a second API shadowed Spark 3.5's logging),
          // the tokenizer binding's others are relocated under dev/longmix/shaded/.
          "org/slf4j/",
          "com/google/gson/",
          "org/apache/commons/");

  @TempDir Path tmp;

  @Test
  void shadedJarHoldsNativesAndNoClusterClasses() throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipFile z = new ZipFile(JAR.toFile())) {
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
        names.add(e.nextElement().getName());
      }
    }
    for (String n :
        List.of(
            "dev/longmix/jobs/Main.class",
            "native/lib/linux-x86_64/cpu/libtokenizers.so",
            "native/lib/linux-aarch64/cpu/libtokenizers.so")) {
      assertTrue(names.contains(n), "the shaded jar lacks " + n);
    }
    List<String> bad =
        names.stream().filter(n -> FORBIDDEN.stream().anyMatch(n::startsWith)).limit(20).toList();
    assertEquals(List.of(), bad, "cluster-provided classes inside the shaded jar");
  }

  /** What a cluster provides: Spark's jars (and Hadoop's), never ours. */
  static List<String> clusterJars() throws IOException {
    try (Stream<Path> s = Files.list(SPARK_JARS)) {
      return s.map(Path::toString)
          .filter(
              p -> p.endsWith(".jar") && !Path.of(p).getFileName().toString().startsWith("longmix"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /** hadoop-aws and the AWS SDK bundle from this test's classpath (opt-in in spark-jars). */
  static List<String> s3Jars() {
    List<String> out = new ArrayList<>();
    for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String n = Path.of(p).getFileName().toString();
      // The SDK v2 bundle for hadoop-aws 3.4 (Spark 4.0), the v1 bundle for 3.3 (Spark 3.5).
      if (n.startsWith("hadoop-aws-")
          || n.startsWith("bundle-")
          || n.startsWith("aws-java-sdk-bundle-")
          || n.startsWith("spark-hadoop-cloud")) {
        out.add(p);
      }
    }
    assertTrue(
        out.size() >= 3
            && out.stream().anyMatch(p -> p.contains("hadoop-aws-"))
            && out.stream().anyMatch(p -> p.contains("spark-hadoop-cloud"))
            && out.stream().anyMatch(p -> p.contains("bundle-")),
        "hadoop-aws, AWS SDK bundle, spark-hadoop-cloud: " + out);
    return out;
  }

  static List<String> java() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    cmd.addAll(Arrays.asList(System.getProperty("longmix.spark.opens", defaultOpens()).split(" ")));
    return cmd;
  }

  static String defaultOpens() {
    return String.join(
            " ",
            Stream.of(
                    "java.lang",
                    "java.lang.invoke",
                    "java.lang.reflect",
                    "java.io",
                    "java.net",
                    "java.nio",
                    "java.util",
                    "java.util.concurrent",
                    "java.util.concurrent.atomic",
                    "jdk.internal.ref",
                    "sun.nio.ch",
                    "sun.nio.cs",
                    "sun.security.action",
                    "sun.util.calendar")
                .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
                .toList())
        + " -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true";
  }

  static String run(List<String> cmd, Map<String, String> env, Path log) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("RAYON_NUM_THREADS", "1");
    pb.environment().put("TOKENIZERS_PARALLELISM", "false");
    Process p = pb.start();
    if (!p.waitFor(8, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("timed out:\n" + Files.readString(log));
    }
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
    return out;
  }

  @Test
  void shadedJarRunsTokenizeWithOnlyTheClustersJars() throws Exception {
    Path corpus = tmp.resolve("corpus");
    SampleCorpus.write(corpus, 3L, SampleCorpus.Scale.TINY);
    Path out = tmp.resolve("tokenized");
    List<String> cp = new ArrayList<>(List.of(JAR.toString()));
    cp.addAll(clusterJars());
    List<String> cmd = java();
    cmd.addAll(
        List.of(
            "-cp",
            String.join(File.pathSeparator, cp),
            "dev.longmix.jobs.Main",
            "tokenize",
            "--input",
            corpus.toString(),
            "--output",
            out.toString(),
            "--tokenizer",
            TestData.defaultTokenizer().toString(),
            "--master",
            "local[2]",
            "--progress-interval",
            "0"));
    String log = run(cmd, Map.of(), tmp.resolve("main.log"));
    JsonNode m =
        dev.longmix.jobs.TestManifests.json(new Configuration(), out.toString()).orElseThrow();
    assertTrue(m.path("complete").asBoolean(), m + "\n" + log);
    assertTrue(m.path("counts").path("documents").asLong() > 0, m.toString());
    assertEquals(0, m.path("counts").path("rejected").asLong(), m.toString());
  }

  /**
   * deploy/spark-submit.sh, with SparkSubmit's real entry point as its spark-submit and local[2] as
   * its master, runs the pipeline's stages from the definition on s3a:// (s3proxy): corpus,
   * tokenizer and output all in a bucket, the endpoint settings passed as spark-submit --conf.
   */
  @Test
  void deployScriptRunsThePipelineThroughSparkSubmitOnS3() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        DeployDefinitionsTest.python(), "deploy/spark-submit.sh needs python3 on PATH");
    try (S3Proxy proxy = S3Proxy.start(tmp)) {
      S3Settings s3 = new S3Settings(proxy.endpoint(), S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY);
      s3.createBucket("longmix-it");
      Path corpus = tmp.resolve("corpus");
      SampleCorpus.write(corpus, 5L, SampleCorpus.Scale.TINY);
      Configuration hconf = s3.hadoop();
      org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path("s3a://longmix-it/corpus");
      FileSystem fs = remote.getFileSystem(hconf);
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(corpus.toUri()), remote);
      fs.copyFromLocalFile(
          false,
          true,
          new org.apache.hadoop.fs.Path(TestData.defaultTokenizer().toUri()),
          new org.apache.hadoop.fs.Path("s3a://longmix-it/tok/tokenizer.json"));

      List<String> cp = new ArrayList<>(clusterJars());
      cp.addAll(s3Jars());
      String submit =
          String.join(" ", java())
              + " -cp "
              + String.join(File.pathSeparator, cp)
              + " org.apache.spark.deploy.SparkSubmit";
      String conf =
          s3.spark().entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(" "));
      String log =
          run(
              List.of("bash", "deploy/spark-submit.sh"),
              Map.of(
                  "SPARK_SUBMIT", submit,
                  "SPARK_MASTER", "local[2]",
                  "JAR", JAR.toString(),
                  "LONGMIX_CONF", conf,
                  "CORPUS", "s3a://longmix-it/corpus",
                  "ROOT", "s3a://longmix-it/run",
                  "TOKENIZER", "s3a://longmix-it/tok/tokenizer.json",
                  "BUDGET", "100000"),
              tmp.resolve("submit.log"));
      JsonNode m =
          dev.longmix.jobs.TestManifests.json(hconf, "s3a://longmix-it/run/tokenized")
              .orElseThrow();
      assertTrue(m.path("complete").asBoolean(), m + "\n" + log);
      assertTrue(m.path("counts").path("documents").asLong() > 0, m.toString());
      String text;
      org.apache.hadoop.fs.Path mp =
          new org.apache.hadoop.fs.Path("s3a://longmix-it/run/tokenized/_manifest.json");
      try (InputStream in = fs.open(mp)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertTrue(!text.contains(S3Proxy.SECRET_KEY), "secret in the manifest");
      assertTrue(!log.contains(S3Proxy.SECRET_KEY), "secret in the driver's output");
      assertTrue(log.contains("[tokenize] wrote s3a://longmix-it/run/tokenized"), log);
    }
  }
}
