package dev.longmix.jobs.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.demo.SampleCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    System.clearProperty("spark.testing");
  }

  /** The pid of the executor with this id that this JVM's workers launched, or -1. */
  static long executorPid(String executorId) {
    long[] found = {-1};
    ProcessHandle.current()
        .descendants()
        .forEach(
            p -> {
              try {
                String cmd =
                    new String(
                        Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                        StandardCharsets.UTF_8);
                if (cmd.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")
                    && cmd.contains("--executor-id\0" + executorId + "\0")) {
                  found[0] = p.pid();
                }
              } catch (IOException e) {
                // exited meanwhile
              }
            });
    return found[0];
  }

  @ParameterizedTest
  @ValueSource(strings = {"concat", "best-fit"})
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void aKilledExecutorsTasksAreRedoneAndTheOutputEqualsACleanRun(String packing) throws Exception {
    Path corpus = tmp.resolve("corpus-" + packing);
    SampleCorpus.write(corpus, 13L, SampleCorpus.Scale.DEMO);
    Path clean = tmp.resolve("clean-" + packing);
    List<String> cleanArgs = Pipeline.runArgs(corpus, clean, "local[2]");
    cleanArgs.addAll(List.of("--packing", packing));
    Pipeline.Run a = Pipeline.cli(cleanArgs);
    assertEquals(0, a.code(), a.all());

    // A local-cluster worker takes its SPARK_HOME from spark.test.home only under spark.testing
    // (else from the SPARK_HOME environment variable, which a test cannot set for itself).
    System.setProperty("spark.testing", "true");
    System.setProperty("spark.test.home", dev.longmix.jobs.SparkHome.build().toString());
    Path root = tmp.resolve("cluster-" + packing);
    List<String> args = Pipeline.runArgs(corpus, root, "local-cluster[2,1,1024]");
    args.addAll(
        List.of(
            "--packing",
            packing,
            "--conf",
            "spark.task.maxFailures=4",
            // Without it the worker's command builder looks for launcher/target/scala-2.1x of a
            // source build to learn the Scala version ("Cannot find any build directories").
            "--conf",
            "spark.executorEnv.SPARK_SCALA_VERSION=" + dev.longmix.jobs.TestData.scalaBinary(),
            "--conf",
            "spark.extraListeners=" + TaskFailures.class.getName()));
    TaskFailures.FAILED.clear();
    TaskFailures.FIRST_TASK.clear();
    Pipeline.stopSessions();
    CompletableFuture<Pipeline.Run> run = CompletableFuture.supplyAsync(() -> Pipeline.cli(args));

    // Kill an executor once a tokenize task has been running on it for 3 s (files take longer).
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    String victimId = null;
    while (System.nanoTime() < end && !run.isDone() && victimId == null) {
      for (var e : TaskFailures.FIRST_TASK.entrySet()) {
        if (System.nanoTime() - e.getValue() > TimeUnit.SECONDS.toNanos(3)) {
          victimId = e.getKey();
        }
      }
      Thread.sleep(100);
    }
    assertTrue(
        victimId != null && !run.isDone(),
        "a task running on an executor: " + (run.isDone() ? run.get().all() : "timed out"));
    long victim = executorPid(victimId);
    assertTrue(victim > 0, "executor " + victimId + "'s process");
    Process kill = new ProcessBuilder("kill", "-9", Long.toString(victim)).start();
    assertEquals(0, kill.waitFor());
    String note = "[lost-executor] killed executor " + victimId + " (pid " + victim + ")\n";
    System.out.print(note);

    Pipeline.Run b = run.get(10, TimeUnit.MINUTES);
    List<String> failed = List.copyOf(TaskFailures.FAILED);
    Files.writeString(
        dev.longmix.jobs.TestData.buildDir()
            .resolve("reliability-lost-executor-" + packing + ".txt"),
        note + "failed tasks: " + failed + "\n" + b.all(),
        StandardCharsets.UTF_8);
    assertEquals(0, b.code(), b.all());
    assertTrue(
        failed.stream().anyMatch(f -> f.contains("ExecutorLostFailure")),
        "the killed executor's running tasks failed and were redone: " + failed);
    System.out.println("[lost-executor] tasks lost with the executor: " + failed);
    System.clearProperty("spark.test.home");
    System.clearProperty("spark.testing");

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
