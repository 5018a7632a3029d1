package dev.longmix.jobs.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longmix.demo.SampleCorpus;
import dev.longmix.jobs.spark.FailureInjection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks that fail on their first attempt (test-only {@link FailureInjection}) are retried under
 * {@code local[2,4]}; what the pipeline writes must equal a clean run's, row for row, and the
 * manifests' counts (taken from accumulators and checked against the data) must not double count
 * the failed attempts' work.
 */
class ReliabilityFailedTasksTest {
  @TempDir static Path tmp;

  @AfterAll
  static void stop() {
    Pipeline.stopSessions();
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void retriedTasksGiveTheCleanRunsOutputsAndCounts() throws Exception {
    Path corpus = tmp.resolve("corpus");
    SampleCorpus.write(corpus, 5L, SampleCorpus.Scale.TINY);
    // A third file with rejects, so the rejects pass and reject counters are part of the check.
    Files.writeString(
        corpus.resolve("extra.jsonl"),
        "{\"text\": \"a good one\", \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}\n"
            + "{\"text\": \n"
            + "{\"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}\n"
            + "{\"text\": \"another good one\", \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}\n",
        StandardCharsets.UTF_8);

    Path clean = tmp.resolve("clean");
    Pipeline.Run a = Pipeline.cli(Pipeline.runArgs(corpus, clean, "local[2]"));
    assertEquals(0, a.code(), a.all());

    Path retried = tmp.resolve("retried");
    List<String> args = Pipeline.runArgs(corpus, retried, "local[2,4]");
    args.addAll(
        List.of(
            "--conf",
            FailureInjection.KEY + "=tokenize:0,tokenize:2,histogram:0,pack:0,pack:1",
            "--conf",
            "spark.extraListeners=" + TaskFailures.class.getName()));
    TaskFailures.FAILED.clear();
    Pipeline.Run b = Pipeline.cli(args);
    assertEquals(0, b.code(), b.all());
    List<String> failed = List.copyOf(TaskFailures.FAILED);
    assertTrue(
        failed.stream().filter(f -> f.contains("injected failure")).count() >= 5,
        "the injected failures happened: " + failed);
    assertTrue(
        failed.stream().allMatch(f -> f.contains("attempt 0")), "only first attempts: " + failed);
    System.out.println("[failed-tasks] retried after injected failures: " + failed);

    for (String stage : List.of("tokenized", "tokenized/_rejects", "histogram/rows", "packed")) {
      List<String> x = Pipeline.rows(clean.resolve(stage).toString());
      List<String> y = Pipeline.rows(retried.resolve(stage).toString());
      assertTrue(!x.isEmpty(), stage + " has rows");
      assertEquals(x.size(), y.size(), stage + ": row count");
      assertEquals(x, y, stage + ": rows");
      assertEquals(
          Pipeline.visibleDataFiles(clean.resolve(stage)).size(),
          Pipeline.visibleDataFiles(retried.resolve(stage)).size(),
          stage + ": no extra data files from the failed attempts");
    }
    assertEquals(
        Files.readString(clean.resolve("histogram/histogram.json")),
        Files.readString(retried.resolve("histogram/histogram.json")));

    JsonNode tm = Pipeline.manifest(clean.resolve("tokenized"));
    JsonNode tr = Pipeline.manifest(retried.resolve("tokenized"));
    for (String k : List.of("counts", "domains", "reject_reasons")) {
      assertEquals(tm.get(k), tr.get(k), "tokenize manifest " + k);
    }
    assertEquals(
        tm.path("counts").path("read").asLong(),
        tm.path("counts").path("documents").asLong() + tm.path("counts").path("rejected").asLong());
    assertEquals(2, tm.path("counts").path("rejected").asLong(), tm.toString());
    JsonNode pm = Pipeline.manifest(clean.resolve("packed"));
    JsonNode pr = Pipeline.manifest(retried.resolve("packed"));
    pm.fieldNames()
        .forEachRemaining(
            k -> {
              boolean path = pm.get(k).isTextual() && pm.get(k).asText().contains("/clean");
              if (!path
                  && !List.of("created", "timing", "seconds", "config", "fingerprint", "versions")
                      .contains(k)) {
                assertEquals(pm.get(k), pr.get(k), "pack manifest " + k);
              }
            });

    // Best-fit packing over the clean run's stages: its packing groups, their leftovers and the
    // distributed placement (driverItems 0) under the same injected first-attempt failures.
    List<List<String>> packs = new ArrayList<>();
    for (String name : List.of("best-fit-clean", "best-fit-retried")) {
      boolean fail = name.endsWith("retried");
      List<String> p =
          new ArrayList<>(
              List.of(
                  "pack",
                  "--input",
                  clean.resolve("tokenized").toString(),
                  "--histogram",
                  clean.resolve("histogram").toString(),
                  "--output",
                  tmp.resolve(name).toString(),
                  "--strategy",
                  "per-source",
                  "--budget-fraction",
                  "0.5",
                  "--infeasible",
                  "fill-short",
                  "--seq-len",
                  "4096",
                  "--packing",
                  "best-fit",
                  "--seed",
                  "7",
                  "--master",
                  fail ? "local[2,4]" : "local[2]"));
      if (fail) {
        p.addAll(
            List.of(
                "--conf",
                FailureInjection.KEY + "=pack:0,pack:1",
                "--conf",
                "spark.longmix.pack.driverItems=0",
                "--conf",
                "spark.extraListeners=" + TaskFailures.class.getName()));
      }
      packs.add(p);
    }
    Pipeline.stopSessions();
    assertEquals(0, Pipeline.cli(packs.get(0)).code());
    TaskFailures.FAILED.clear();
    Pipeline.Run bf = Pipeline.cli(packs.get(1));
    assertEquals(0, bf.code(), bf.all());
    assertTrue(
        TaskFailures.FAILED.stream().filter(f -> f.contains("injected failure")).count() >= 2,
        "the injected failures happened: " + TaskFailures.FAILED);
    assertEquals(
        Pipeline.rows(tmp.resolve("best-fit-clean").toString()),
        Pipeline.rows(tmp.resolve("best-fit-retried").toString()),
        "best-fit rows");
  }
}
