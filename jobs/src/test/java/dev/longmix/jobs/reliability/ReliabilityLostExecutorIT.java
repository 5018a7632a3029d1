package dev.longmix.jobs.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.demo.SampleCorpus;
import dev.longmix.jobs.spark.OutputGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor process killed (SIGKILL) mid-stage under {@code local-cluster[2,1,1024]}: Spark
 * reschedules its tasks on a new executor and the output equals a clean run's. local-cluster starts
 * a standalone master and workers inside this JVM; each worker launches executors as {@code java
 * -cp SPARK_HOME/jars/*}, so SPARK_HOME (here {@code spark.test.home}) is a folder whose jars/
 * holds the build's Spark jars and the shaded job jar.
 */
class ReliabilityLostExecutorIT {
  @TempDir static Path tmp;

  @AfterAll
  static void stop() {
    Pipeline.stopSessions();
    System.clearProperty("spark.test.home");
  }

  static Path sparkHome() throws IOException {
    Path home = ChildRun.ROOT.resolve("jobs/target/spark-home");
    Path jars = home.resolve("jars");
    Files.createDirectories(jars);
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> s = Files.list(ChildRun.SPARK_JARS)) {
      s.filter(p -> p.toString().endsWith(".jar")).forEach(sources::add);
    }
    sources.add(ChildRun.JAR);
    // Spark's launcher takes jars/ only from a release layout (a RELEASE file); otherwise it looks
    // for a source build's assembly/target/scala-2.13/jars.
    Files.writeString(home.resolve("RELEASE"), "Spark jars of the longmix build, for tests\n");
    for (Path src : sources) {
      Path link = jars.resolve(src.getFileName());
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, src.toAbsolutePath());
    }
    return home;
  }

  static List<Long> executorPids() throws IOException {
    List<Long> pids = new ArrayList<>();
    ProcessHandle.allProcesses()
        .forEach(
            p -> {
              String cmd = p.info().commandLine().orElse("");
              if (cmd.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")) {
                pids.add(p.pid());
              }
            });
    return pids;
  }

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void aKilledExecutorsTasksAreRedoneAndTheOutputEqualsACleanRun() throws Exception {
    Path corpus = tmp.resolve("corpus");
    SampleCorpus.write(corpus, 13L, SampleCorpus.Scale.DEMO);
    Path clean = tmp.resolve("clean");
    Pipeline.Run a = Pipeline.cli(Pipeline.runArgs(corpus, clean, "local[2]"));
    assertEquals(0, a.code(), a.all());

    System.setProperty("spark.test.home", sparkHome().toString());
    Path root = tmp.resolve("cluster");
    List<String> args = Pipeline.runArgs(corpus, root, "local-cluster[2,1,1024]");
    args.addAll(
        List.of(
            "--conf",
            "spark.task.maxFailures=4",
            // Without it the worker's command builder looks for launcher/target/scala-2.13 of a
            // source build to learn the Scala version ("Cannot find any build directories").
            "--conf",
            "spark.executorEnv.SPARK_SCALA_VERSION=2.13"));
    Pipeline.stopSessions();
    CompletableFuture<Pipeline.Run> run = CompletableFuture.supplyAsync(() -> Pipeline.cli(args));

    Path started = root.resolve("tokenized").resolve(OutputGuard.STARTED);
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    List<Long> pids = List.of();
    while (System.nanoTime() < end && !run.isDone()) {
      pids = executorPids();
      if (pids.size() >= 2 && Files.exists(started)) {
        break;
      }
      Thread.sleep(100);
    }
    assertTrue(
        !run.isDone() && pids.size() >= 2,
        "two executors running during tokenize: "
            + pids
            + (run.isDone() ? "\n" + run.get().all() : ""));
    Thread.sleep(4000); // the tokenize tasks are under way
    long victim = pids.get(0);
    assertTrue(!run.isDone(), "still running when the executor is killed");
    Process kill = new ProcessBuilder("kill", "-9", Long.toString(victim)).start();
    assertEquals(0, kill.waitFor());
    String note = "[lost-executor] killed executor pid " + victim + " of " + pids + "\n";
    System.out.print(note);

    Pipeline.Run b = run.get(10, TimeUnit.MINUTES);
    Files.writeString(
        Path.of("target", "reliability-lost-executor.txt"), note + b.all(), StandardCharsets.UTF_8);
    assertEquals(0, b.code(), b.all());
    System.clearProperty("spark.test.home");

    for (String stage : List.of("tokenized", "tokenized/_rejects", "histogram/rows", "packed")) {
      assertEquals(
          Pipeline.rows(clean.resolve(stage).toString()),
          Pipeline.rows(root.resolve(stage).toString()),
          stage + ": rows equal the clean run's");
    }
    assertEquals(
        Pipeline.manifest(clean.resolve("tokenized")).get("counts"),
        Pipeline.manifest(root.resolve("tokenized")).get("counts"));
    assertEquals(
        Pipeline.manifest(clean.resolve("packed")).get("counts"),
        Pipeline.manifest(root.resolve("packed")).get("counts"));
  }
}
