package dev.longmix.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longmix.demo.SampleCorpus;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The pipeline on real clusters, submitted by {@code deploy/spark-submit.sh} (the stages as {@code
 * deploy/pipeline.json} defines them) through Spark's own {@code SparkSubmit}, with only the
 * build's Spark jars and the shaded job jar: each run's packed rows (content digest), tokenize
 * counts and histogram equal a local-mode run's of the same definition.
 *
 * <ul>
 *   <li>a Spark standalone cluster: a master and two workers as separate processes, client mode;
 *   <li>EMR's shape: HDFS (NameNode, DataNode) and YARN (ResourceManager, NodeManager) from
 *       Hadoop's own mini cluster in a child JVM, cluster mode, corpus, tokenizer and every output
 *       on {@code hdfs://}, the Spark jars given to YARN as {@code spark.yarn.jars};
 *   <li>the same with the executor container killed (SIGKILL) mid-tokenize: YARN starts another,
 *       Spark redoes the lost tasks, the output is the same.
 * </ul>
 *
 * Containers are small (1 executor x 1 core x 1 GB, the driver/AM 768 MB) so the whole class fits a
 * 2-core CI machine; its wall time per part goes to {@code target/cluster-it.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  static final String BUDGET = "400000";
  Path tmp;
  Path corpus;
  Path local;
  MiniCluster hadoop;
  final Map<String, Double> seconds = new LinkedHashMap<>();

  @BeforeAll
  void reference() throws Exception {
    Assumptions.assumeTrue(
        DeployDefinitionsTest.python(), "deploy/spark-submit.sh needs python3 on PATH");
    tmp = Files.createTempDirectory("longmix-cluster");
    corpus = tmp.resolve("corpus");
    SampleCorpus.write(corpus, 19L, SampleCorpus.Scale.DEMO);
    local = tmp.resolve("local");
    long t0 = System.nanoTime();
    submit(
        "local[2]",
        corpus.toString(),
        local.toString(),
        TestData.defaultTokenizer().toString(),
        Map.of(),
        List.of(),
        tmp.resolve("local.log"));
    seconds.put("local[2] reference", (System.nanoTime() - t0) / 1e9);
  }

  @AfterAll
  void stop() throws Exception {
    if (hadoop != null) {
      hadoop.close();
    }
    String note =
        seconds.entrySet().stream()
            .map(
                e ->
                    String.format(Locale.ROOT, "[cluster-it] %s: %.0f s", e.getKey(), e.getValue()))
            .collect(Collectors.joining("\n", "", "\n"));
    System.out.print(note);
    Files.writeString(TestData.buildDir().resolve("cluster-it.txt"), note);
    if (tmp != null) {
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Settings that make the definition's resources fit this machine (they override its own). */
  static List<String> smallExecutors() {
    return List.of(
        "spark.dynamicAllocation.enabled=false",
        "spark.executor.memory=1g",
        "spark.executor.memoryOverhead=384m",
        "spark.driver.memory=768m",
        "spark.driver.memoryOverhead=384m",
        "spark.sql.shuffle.partitions=8");
  }

  /**
   * deploy/spark-submit.sh with SparkSubmit's real entry point on the build's Spark jars (and
   * {@code confDir}, a HADOOP_CONF_DIR, first on its class path as Spark's launcher puts it).
   */
  String submit(
      String master,
      String corpusPath,
      String root,
      String tokenizer,
      Map<String, String> env,
      List<String> conf,
      Path log)
      throws Exception {
    List<String> cp = new ArrayList<>();
    if (env.containsKey("HADOOP_CONF_DIR")) {
      cp.add(env.get("HADOOP_CONF_DIR"));
    }
    cp.add(TestData.sparkJars() + "/*");
    String submit =
        String.join(" ", JobJarIT.java())
            + " -cp "
            + String.join(File.pathSeparator, cp)
            + " org.apache.spark.deploy.SparkSubmit";
    Map<String, String> all = new LinkedHashMap<>(env);
    all.put("SPARK_SUBMIT", submit);
    all.put("SPARK_MASTER", master);
    all.put("JAR", TestData.jobJar().toString());
    all.put("LONGMIX_CONF", String.join(" ", conf));
    all.put("CORPUS", corpusPath);
    all.put("ROOT", root);
    all.put("TOKENIZER", tokenizer);
    all.put("BUDGET", BUDGET);
    return JobJarIT.run(List.of("bash", "deploy/spark-submit.sh"), all, log);
  }

  /** What must be equal between two runs: packed digest and counts, tokenize counts, histogram. */
  static Map<String, JsonNode> outcome(Configuration conf, String root) {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    JsonNode tok = TestManifests.json(conf, root + "/tokenized").orElseThrow();
    JsonNode hist = TestManifests.json(conf, root + "/histogram").orElseThrow();
    JsonNode packed = TestManifests.json(conf, root + "/packed").orElseThrow();
    assertTrue(tok.path("complete").asBoolean() && packed.path("complete").asBoolean(), root);
    m.put("tokenize counts", tok.path("counts"));
    m.put("histogram", hist.path("histogram"));
    m.put("packed counts", packed.path("counts"));
    return m;
  }

  void assertSameAsLocal(Configuration conf, String root) {
    Map<String, JsonNode> want = outcome(new Configuration(), local.toString());
    Map<String, JsonNode> got = outcome(conf, root);
    assertTrue(want.get("packed counts").path("rows").asLong() > 0, want.toString());
    assertEquals(
        want.get("packed counts").path("content_digest").asText(),
        got.get("packed counts").path("content_digest").asText(),
        "packed rows' content digest");
    assertEquals(want, got);
    System.out.println(
        "[cluster-it] "
            + root
            + ": digest "
            + got.get("packed counts").path("content_digest").asText()
            + " = local[2]'s");
  }

  // ---- standalone -------------------------------------------------------------------------------

  @Test
  @Order(1)
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void aStandaloneClusterOfTwoWorkersInClientModeWritesWhatLocalModeWrites() throws Exception {
    Path home = SparkHome.build();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "spark://127.0.0.1:" + port;
    List<Process> daemons = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      Process master =
          daemon(
              home,
              List.of(
                  "org.apache.spark.deploy.master.Master",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(port),
                  "--webui-port",
                  "0"),
              tmp.resolve("master.log"));
      daemons.add(master);
      awaitLog(master, tmp.resolve("master.log"), "I have been elected leader", 120);
      for (int w = 1; w <= 2; w++) {
        Path work = tmp.resolve("worker" + w);
        Files.createDirectories(work);
        Process worker =
            daemon(
                home,
                List.of(
                    "org.apache.spark.deploy.worker.Worker",
                    "--host",
                    "127.0.0.1",
                    "--cores",
                    "1",
                    "--memory",
                    "1536m",
                    "--webui-port",
                    "0",
                    "--work-dir",
                    work.toString(),
                    url),
                tmp.resolve("worker" + w + ".log"));
        daemons.add(worker);
        awaitLog(worker, tmp.resolve("worker" + w + ".log"), "Successfully registered", 120);
      }
      Path root = tmp.resolve("standalone");
      List<String> conf = new ArrayList<>(smallExecutors());
      conf.addAll(
          List.of(
              "spark.executor.cores=1",
              "spark.cores.max=2",
              "spark.driver.host=127.0.0.1",
              "spark.driver.bindAddress=127.0.0.1"));
      String log =
          submit(
              url,
              corpus.toString(),
              root.toString(),
              TestData.defaultTokenizer().toString(),
              Map.of(),
              conf,
              tmp.resolve("standalone.log"));
      assertTrue(log.contains("[pack] wrote " + root.resolve("packed")), log);
      // Both workers ran executors for the job.
      for (int w = 1; w <= 2; w++) {
        try (Stream<Path> s = Files.walk(tmp.resolve("worker" + w))) {
          assertTrue(
              s.anyMatch(p -> p.getFileName().toString().equals("stderr")),
              "worker " + w + " launched no executor");
        }
      }
      assertSameAsLocal(new Configuration(), root.toString());
    } finally {
      for (Process p : daemons) {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
    seconds.put("standalone (master + 2 workers, client mode)", (System.nanoTime() - t0) / 1e9);
  }

  /** A Spark daemon (master or worker) as its own JVM from the build's Spark jars. */
  static Process daemon(Path sparkHome, List<String> mainAndArgs, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(JobJarIT.java());
    cmd.set(1, "-Xmx512m");
    cmd.addAll(List.of("-cp", TestData.sparkJars() + "/*"));
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    // A worker starts executors as SPARK_HOME/jars/* through Spark's launcher, which needs the
    // Scala version of a release layout.
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", TestData.scalaBinary());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OPT_OUT_TRACKING", "true");
    return pb.start();
  }

  static void awaitLog(Process p, Path log, String line, int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      String text = Files.exists(log) ? Files.readString(log) : "";
      if (text.contains(line)) {
        return;
      }
      if (!p.isAlive()) {
        fail("exited before '" + line + "':\n" + text);
      }
      Thread.sleep(200);
    }
    fail("no '" + line + "' within " + seconds + " s:\n" + Files.readString(log));
  }

  // ---- YARN and HDFS ----------------------------------------------------------------------------

  /** HDFS and YARN from Hadoop's mini cluster, in a child JVM; its configuration in conf/. */
  static final class MiniCluster implements AutoCloseable {
    final Process process;
    final Path base;
    final Path confDir;
    final String hdfs;

    MiniCluster(Path base) throws Exception {
      this.base = base;
      this.confDir = base.resolve("conf");
      Path jars = TestData.buildDir().resolve("minicluster");
      List<String> cp = new ArrayList<>();
      try (Stream<Path> s = Files.list(jars)) {
        s.map(Path::toString).sorted().forEach(cp::add);
      }
      try (Stream<Path> s = Files.list(TestData.sparkJars())) {
        // The Hadoop client it is shaded against, and the logging Spark's jars bring.
        s.map(Path::toString)
            .filter(
                p -> {
                  String n = Path.of(p).getFileName().toString();
                  return n.startsWith("hadoop-client-")
                      || n.startsWith("log4j-")
                      || n.startsWith("slf4j-api")
                      || n.startsWith("jcl-over-slf4j");
                })
            .sorted()
            .forEach(cp::add);
      }
      Path main = base.resolve("MiniClusterMain.java");
      Files.createDirectories(base);
      try (var in = ClusterIT.class.getResourceAsStream("/minicluster/MiniClusterMain.java")) {
        Files.write(main, in.readAllBytes());
      }
      List<String> cmd = new ArrayList<>(JobJarIT.java());
      cmd.set(1, "-Xmx1g");
      cmd.addAll(
          List.of(
              "-Dlog4j2.configurationFile=longmix-log4j2.properties",
              "-cp",
              String.join(File.pathSeparator, cp) + File.pathSeparator + jobsLogConfig(),
              main.toString(),
              base.toString(),
              "4096"));
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(base.toFile());
      pb.redirectErrorStream(true);
      pb.redirectOutput(base.resolve("minicluster.log").toFile());
      pb.redirectInput(ProcessBuilder.Redirect.PIPE);
      // Containers are launched with {{JAVA_HOME}}/bin/java: the NodeManager passes its own on.
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      pb.environment().put("OPT_OUT_TRACKING", "true");
      process = pb.start();
      Path log = base.resolve("minicluster.log");
      long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      String ready = null;
      while (ready == null && System.nanoTime() < end && process.isAlive()) {
        ready =
            Files.readAllLines(log).stream()
                .filter(l -> l.startsWith("READY "))
                .findFirst()
                .orElse(null);
        Thread.sleep(250);
      }
      if (ready == null) {
        process.destroyForcibly();
        fail("the mini cluster did not start:\n" + Files.readString(log));
      }
      hdfs = ready.split(" ")[1];
    }

    /** The folder holding the jobs module's log4j2 settings (WARN), for the daemons too. */
    static String jobsLogConfig() {
      return TestData.repoRoot().resolve("jobs/src/main/resources").toString();
    }

    Configuration conf() {
      Configuration c = new Configuration();
      c.addResource(new org.apache.hadoop.fs.Path(confDir.resolve("core-site.xml").toUri()));
      return c;
    }

    @Override
    public void close() throws Exception {
      process.getOutputStream().close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  MiniCluster hadoop() throws Exception {
    if (hadoop == null) {
      long t0 = System.nanoTime();
      hadoop = new MiniCluster(tmp.resolve("hadoop"));
      seconds.put("mini cluster start (HDFS + YARN)", (System.nanoTime() - t0) / 1e9);
      Configuration c = hadoop.conf();
      FileSystem fs = FileSystem.get(java.net.URI.create(hadoop.hdfs), c);
      fs.copyFromLocalFile(
          false,
          true,
          new org.apache.hadoop.fs.Path(corpus.toUri()),
          new org.apache.hadoop.fs.Path(hadoop.hdfs + "/data/corpus"));
      fs.copyFromLocalFile(
          false,
          true,
          new org.apache.hadoop.fs.Path(TestData.defaultTokenizer().toUri()),
          new org.apache.hadoop.fs.Path(hadoop.hdfs + "/data/tokenizer.json"));
    }
    return hadoop;
  }

  List<String> yarnConf() {
    List<String> conf = new ArrayList<>(smallExecutors());
    conf.addAll(
        List.of(
            "spark.executor.cores=1",
            "spark.executor.instances=1",
            // The build's Spark jars, already on every node (this machine): no upload per run.
            "spark.yarn.jars=local:" + TestData.sparkJars() + "/*",
            "spark.yarn.submit.waitAppCompletion=true",
            "spark.yarn.maxAppAttempts=1",
            "spark.executorEnv.JAVA_HOME=" + System.getProperty("java.home"),
            "spark.yarn.appMasterEnv.JAVA_HOME=" + System.getProperty("java.home")));
    return conf;
  }

  String yarnRun(String name, List<String> conf) throws Exception {
    MiniCluster h = hadoop();
    String root = h.hdfs + "/runs/" + name;
    submit(
        "yarn",
        h.hdfs + "/data/corpus",
        root,
        h.hdfs + "/data/tokenizer.json",
        Map.of("HADOOP_CONF_DIR", h.confDir.toString()),
        conf,
        tmp.resolve(name + ".log"));
    return root;
  }

  @Test
  @Order(2)
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void yarnInClusterModeOnHdfsWritesWhatLocalModeWrites() throws Exception {
    long t0 = System.nanoTime();
    String root = yarnRun("clean", yarnConf());
    // Every output is on HDFS.
    assertSameAsLocal(hadoop.conf(), root);
    assertTrue(root.startsWith("hdfs://"), root);
    seconds.put("YARN cluster mode on HDFS (3 applications)", (System.nanoTime() - t0) / 1e9);
  }

  @Test
  @Order(3)
  @Timeout(value = 25, unit = TimeUnit.MINUTES)
  void anExecutorContainerKilledMidTokenizeLeavesTheOutputUnchanged() throws Exception {
    MiniCluster h = hadoop();
    long t0 = System.nanoTime();
    String tokenized = h.hdfs + "/runs/killed/tokenized";
    Configuration c = h.conf();
    CompletableFuture<String> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return yarnRun("killed", yarnConf());
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    // Once tokenize has started writing and its executor has been up a few seconds: SIGKILL it.
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
    long victim = -1;
    long seenAt = 0;
    while (System.nanoTime() < end && !run.isDone()) {
      boolean started =
          FileSystem.get(java.net.URI.create(h.hdfs), c)
              .exists(
                  new org.apache.hadoop.fs.Path(
                      tokenized + "/" + dev.longmix.jobs.spark.OutputGuard.STARTED));
      Optional<Long> pid = started ? executorPid(h.base) : Optional.empty();
      if (pid.isPresent()) {
        if (seenAt == 0) {
          seenAt = System.nanoTime();
        } else if (System.nanoTime() - seenAt > TimeUnit.SECONDS.toNanos(4)) {
          victim = pid.get();
          break;
        }
      }
      Thread.sleep(200);
    }
    assertTrue(victim > 0 && !run.isDone(), "an executor running tokenize to kill");
    assertFalse(
        TestManifests.json(c, tokenized).map(m -> m.path("complete").asBoolean()).orElse(false),
        "tokenize still running when its executor is killed");
    Process kill = new ProcessBuilder("kill", "-9", Long.toString(victim)).start();
    assertEquals(0, kill.waitFor());
    System.out.println("[cluster-it] killed YARN executor container process " + victim);

    String root = run.get(20, TimeUnit.MINUTES);
    // The driver (in the ApplicationMaster's container) saw the executor go and carried on.
    String amLogs = containerLogs(h.base);
    assertTrue(
        amLogs.contains("Lost executor") || amLogs.contains("ExecutorLostFailure"),
        "the driver's log tells of the lost executor");
    assertSameAsLocal(c, root);
    seconds.put(
        "YARN with an executor killed mid-tokenize (3 applications)",
        (System.nanoTime() - t0) / 1e9);
  }

  /** The pid of a YARN executor (a container process under the mini cluster's folders). */
  static Optional<Long> executorPid(Path base) {
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              try {
                String cmd =
                    new String(
                        Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                        StandardCharsets.UTF_8);
                // The JVM itself, not the shell the NodeManager wraps it in.
                return cmd.startsWith(System.getProperty("java.home"))
                    && cmd.contains("org.apache.spark.executor.YarnCoarseGrainedExecutorBackend")
                    && cmd.contains(base.toString());
              } catch (IOException e) {
                return false;
              }
            })
        .map(ProcessHandle::pid)
        .findFirst();
  }

  /** Every container log the NodeManager kept (stdout/stderr of AMs and executors). */
  static String containerLogs(Path base) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.walk(base)) {
      for (Path p :
          s.filter(
                  p ->
                      p.toString().contains("application_")
                          && (p.getFileName().toString().equals("stderr")
                              || p.getFileName().toString().equals("stdout")))
              .toList()) {
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(Files.newInputStream(p), StandardCharsets.UTF_8))) {
          r.lines().forEach(l -> sb.append(l).append('\n'));
        }
      }
    }
    return sb.toString();
  }
}
