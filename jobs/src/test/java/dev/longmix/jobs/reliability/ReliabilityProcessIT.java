package dev.longmix.jobs.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longmix.demo.SampleCorpus;
import dev.longmix.jobs.spark.OutputGuard;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The shaded jar as a child JVM, as {@code ./longmix run} starts it: (5) the whole pipeline in
 * local[2] with -Xmx2g (1 GB per core) over a corpus holding a 20M-character document, peak RSS
 * noted; (4) the same command killed with SIGKILL mid-tokenize and again mid-pack, then rerun: the
 * outputs equal the uninterrupted run's and no orphan part files are visible as data; and the same
 * for a best-fit pack killed mid-pack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReliabilityProcessIT {
  static final int HUGE_CHARS = 20_000_000;
  Path tmp;
  Path corpus;
  Path reference;

  @BeforeAll
  void corpus() throws IOException {
    tmp = Files.createTempDirectory("longmix-process");
    corpus = tmp.resolve("corpus");
    SampleCorpus.write(corpus, 11L, SampleCorpus.Scale.DEMO);
    // One document of 20M characters on one line, made of words so it tokenizes like text.
    Random r = new Random(1);
    String[] words = {"the", "long", "context", "window", "of", "models", "grows", "data", "a"};
    try (Writer w = Files.newBufferedWriter(corpus.resolve("huge.jsonl"), StandardCharsets.UTF_8)) {
      w.write("{\"meta\": {\"redpajama_set_name\": \"RedPajamaBook\"}, \"text\": \"");
      int n = 0;
      StringBuilder sb = new StringBuilder();
      while (n < HUGE_CHARS) {
        sb.setLength(0);
        sb.append(words[r.nextInt(words.length)]).append(r.nextInt(100)).append(' ');
        if (n + sb.length() > HUGE_CHARS) {
          sb.setLength(HUGE_CHARS - n);
        }
        w.write(sb.toString());
        n += sb.length();
      }
      w.write("\"}\n");
    }
  }

  @AfterAll
  void clean() throws IOException {
    try (var s = Files.walk(tmp)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  List<String> args(Path root) {
    List<String> a = Pipeline.runArgs(corpus, root, "local[2]");
    a.addAll(
        List.of(
            "--progress-interval",
            "1",
            "--conf",
            "spark.executor.memory=1g",
            "--conf",
            "spark.sql.shuffle.partitions=8"));
    return a;
  }

  @Test
  @Order(1)
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void thePipelineCompletesWithOneGigabytePerCoreOnATwentyMillionCharacterDocument()
      throws Exception {
    reference = tmp.resolve("reference");
    long t0 = System.nanoTime();
    ChildRun c = ChildRun.start("2g", args(reference), tmp.resolve("reference.log"));
    int code = c.await(9);
    double s = (System.nanoTime() - t0) / 1e9;
    assertEquals(0, code, c.output());
    String note =
        String.format(
            Locale.ROOT,
            "[resource] run with -Xmx2g local[2]: %.1f s, peak RSS %,d MB%n",
            s,
            c.peakRssKb / 1024);
    System.out.print(note);
    Files.writeString(
        dev.longmix.jobs.TestData.buildDir().resolve("reliability-resources.txt"),
        note,
        StandardCharsets.UTF_8);
    JsonNode m = Pipeline.manifest(reference.resolve("tokenized"));
    assertEquals(0, m.path("counts").path("rejected").asLong(), m.toString());
    List<String> huge =
        Pipeline.rows(
            reference.resolve("tokenized").toString(),
            "n_chars",
            "n_tokens",
            "size(input_ids) as ids",
            "source");
    assertTrue(
        huge.stream().anyMatch(j -> j.contains("\"n_chars\":" + HUGE_CHARS)),
        "the 20M-character document is tokenized whole");
    assertTrue(Files.exists(reference.resolve("packed/_manifest.json")));
    assertTrue(c.peakRssKb > 0, "peak RSS was sampled");
    Pipeline.stopSessions();
  }

  @Test
  @Order(2)
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void aRunKilledMidStageAndRerunEqualsAnUninterruptedRun() throws Exception {
    assertTrue(reference != null && Files.exists(reference.resolve("packed/_manifest.json")));
    Path root = tmp.resolve("interrupted");
    List<String> a = args(root);

    // 1. Killed in tokenize: once its started-marker exists and a task has been writing a while.
    ChildRun first = ChildRun.start("2g", a, tmp.resolve("kill1.log"));
    assertTrue(
        first.waitFor(
            () -> Files.exists(root.resolve("tokenized").resolve(OutputGuard.STARTED)), 240),
        "tokenize started:\n" + first.output());
    Thread.sleep(3000);
    assertTrue(first.process.isAlive(), "still running when killed:\n" + first.output());
    first.kill9();
    assertFalse(
        Files.exists(root.resolve("tokenized/_manifest.json")), "killed before it completed");

    // 2. Killed again in pack, after tokenize and histogram completed on the rerun.
    ChildRun second = ChildRun.start("2g", a, tmp.resolve("kill2.log"));
    assertTrue(
        second.waitFor(
            () -> Files.exists(root.resolve("packed").resolve(OutputGuard.STARTED)), 420),
        "pack started:\n" + second.output());
    Thread.sleep(500);
    boolean killedInPack = second.process.isAlive();
    second.kill9();

    // 3. The same command again finishes the job.
    ChildRun third = ChildRun.start("2g", a, tmp.resolve("final.log"));
    assertEquals(0, third.await(9), third.output());
    if (killedInPack) {
      assertTrue(
          third.output().contains("[tokenize]") && third.output().contains("skipped"),
          "the rerun skips the stages that completed:\n" + third.output());
    }

    for (String stage : List.of("tokenized", "tokenized/_rejects", "histogram/rows", "packed")) {
      Path x = reference.resolve(stage);
      Path y = root.resolve(stage);
      assertEquals(Pipeline.rows(x.toString()), Pipeline.rows(y.toString()), stage + ": rows");
      List<String> files = Pipeline.visibleDataFiles(y);
      assertEquals(Pipeline.visibleDataFiles(x).size(), files.size(), stage + ": " + files);
      assertTrue(
          files.stream().allMatch(f -> Path.of(f).getFileName().toString().startsWith("part-")),
          stage + ": only part files are data: " + files);
      assertFalse(Files.exists(y.resolve("_temporary")), stage + ": no _temporary left");
    }
    for (String stage : List.of("tokenized", "packed")) {
      JsonNode m1 = Pipeline.manifest(reference.resolve(stage));
      JsonNode m2 = Pipeline.manifest(root.resolve(stage));
      assertEquals(m1.get("counts"), m2.get("counts"), stage + " manifest counts");
      assertTrue(m2.path("complete").asBoolean(), stage + " complete");
    }
    Pipeline.stopSessions();
  }

  /** {@code dir} copied to {@code to}, files and folders, as another run's finished stages. */
  private static void copyTree(Path dir, Path to) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(dir.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }

  /**
   * The same with --packing best-fit, where pack does more on the driver and one more shuffle: a
   * run killed mid-pack and rerun ends with an uninterrupted best-fit run's rows. Tokenize and
   * histogram are the reference's, copied, so both runs go straight to pack.
   */
  @Test
  @Order(3)
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aBestFitRunKilledMidPackAndRerunEqualsAnUninterruptedOne() throws Exception {
    assertTrue(reference != null && Files.exists(reference.resolve("packed/_manifest.json")));
    Path whole = tmp.resolve("best-fit-whole");
    Path root = tmp.resolve("best-fit-interrupted");
    for (Path r : List.of(whole, root)) {
      copyTree(reference.resolve("tokenized"), r.resolve("tokenized"));
      copyTree(reference.resolve("histogram"), r.resolve("histogram"));
    }
    List<String> bestFit = List.of("--packing", "best-fit", "--tail", "pad");
    List<String> w = args(whole);
    w.addAll(bestFit);
    ChildRun uninterrupted = ChildRun.start("2g", w, tmp.resolve("best-fit-whole.log"));
    assertEquals(0, uninterrupted.await(9), uninterrupted.output());

    List<String> a = args(root);
    a.addAll(bestFit);
    ChildRun first = ChildRun.start("2g", a, tmp.resolve("best-fit-kill.log"));
    assertTrue(
        first.waitFor(() -> Files.exists(root.resolve("packed").resolve(OutputGuard.STARTED)), 240),
        "pack started:\n" + first.output());
    Thread.sleep(500);
    boolean killedInPack = first.process.isAlive();
    first.kill9();
    ChildRun again = ChildRun.start("2g", a, tmp.resolve("best-fit-final.log"));
    assertEquals(0, again.await(9), again.output());
    assertTrue(
        again.output().contains("[tokenize]") && again.output().contains("skipped"),
        "tokenize was not redone:\n" + again.output());
    System.out.println("[best-fit] killed in pack: " + killedInPack);
    Path x = whole.resolve("packed");
    Path y = root.resolve("packed");
    assertEquals(Pipeline.rows(x.toString()), Pipeline.rows(y.toString()), "best-fit rows");
    assertEquals(Pipeline.manifest(x).get("counts"), Pipeline.manifest(y).get("counts"), "counts");
    assertEquals("best-fit", Pipeline.manifest(y).path("counts").path("packing").asText());
    assertFalse(Files.exists(y.resolve("_temporary")), "no _temporary left");
    Pipeline.stopSessions();
  }
}
