package dev.longmix.jobs.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longmix.demo.SampleCorpus;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.evalset.HoldoutRecord;
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

    // The evalset, recording a holdout in two copies of the tokenized dataset: its three passes
    // (lengths, haystack ids, validation ids and ids hashes) under first-attempt failures.
    List<String> evalsets = new ArrayList<>();
    for (String name : List.of("evalset-clean", "evalset-retried")) {
      boolean fail = name.endsWith("retried");
      Path copy = tmp.resolve(name + "-tokenized");
      copyTree(clean.resolve("tokenized"), copy);
      List<String> e =
          new ArrayList<>(
              List.of(
                  "evalset",
                  "--input",
                  copy.toString(),
                  "--output",
                  tmp.resolve(name).toString(),
                  "--holdout-fraction",
                  "0.3",
                  "--tokens-per-cell",
                  "8000",
                  "--context-lengths",
                  "1024,4096",
                  "--depths",
                  "0,50,100",
                  "--master",
                  fail ? "local[2,4]" : "local[2]"));
      if (fail) {
        e.addAll(
            List.of(
                "--conf",
                FailureInjection.KEY + "=evalset:0,evalset:1",
                "--conf",
                "spark.extraListeners=" + TaskFailures.class.getName()));
      }
      TaskFailures.FAILED.clear();
      Pipeline.Run r = Pipeline.cli(e);
      assertEquals(0, r.code(), r.all());
      if (fail) {
        assertTrue(
            TaskFailures.FAILED.stream().filter(f -> f.contains("injected failure")).count() >= 3,
            "the injected failures happened: " + TaskFailures.FAILED);
      }
      evalsets.add(copy.toString());
    }
    assertEquals(
        Pipeline.rows(tmp.resolve("evalset-clean/validation").toString()),
        Pipeline.rows(tmp.resolve("evalset-retried/validation").toString()),
        "validation rows");
    assertEquals(
        Files.readString(tmp.resolve("evalset-clean/needle.jsonl")),
        Files.readString(tmp.resolve("evalset-retried/needle.jsonl")),
        "needle prompts");
    assertEquals(
        Pipeline.manifest(tmp.resolve("evalset-clean")).get("cells"),
        Pipeline.manifest(tmp.resolve("evalset-retried")).get("cells"));
    var conf = LocalSpark.get().sparkContext().hadoopConfiguration();
    HoldoutRecord.Documents x = HoldoutRecord.read(conf, evalsets.get(0));
    HoldoutRecord.Documents y = HoldoutRecord.read(conf, evalsets.get(1));
    assertTrue(x.size() > 0);
    assertArrayEquals(x.docIds(), y.docIds(), "holdout documents");
    assertArrayEquals(x.idsHashes(), y.idsHashes(), "their ids hashes");
  }

  static void copyTree(Path from, Path to) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
