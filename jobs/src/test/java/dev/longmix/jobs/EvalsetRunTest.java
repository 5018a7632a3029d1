package dev.longmix.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longmix.demo.SampleCorpus;
import dev.longmix.jobs.evalset.HoldoutRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code longmix run} with an evalset: {@code --eval-input} (a held-out split tokenized apart; the
 * packed rows are those of the same run without it, digest and all, which is why the demo's digest
 * did not move) and {@code --holdout-fraction} (evalset between tokenize and pack, the record
 * written, and pack leaving the pool out), and a rerun that skips every stage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvalsetRunTest {
  Path dir;
  Path corpus;
  Path heldout;

  @BeforeAll
  void corpora() throws Exception {
    dir = TestData.buildDir().resolve("evalset-run").toAbsolutePath();
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    corpus = dir.resolve("corpus");
    heldout = dir.resolve("heldout");
    SampleCorpus.write(corpus, 9L, SampleCorpus.Scale.TINY);
    SampleCorpus.write(heldout, 10L, SampleCorpus.Scale.TINY, SampleCorpus.Split.VALIDATION);
  }

  record Run(int code, String log) {}

  Run run(Path root, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "run",
                "--input",
                corpus.toString(),
                "--output",
                root.toString(),
                "--tokenizer",
                TestData.defaultTokenizer().toString(),
                "--strategy",
                "per-source",
                "--budget-fraction",
                "0.4",
                "--infeasible",
                "fill-short",
                "--seq-len",
                "8192",
                "--seed",
                "1",
                "--context-lengths",
                "1024,4096",
                "--depths",
                "0,50,100",
                "--tokens-per-cell",
                "16384",
                "--master",
                "local[2]",
                "--progress-interval",
                "0"));
    a.addAll(List.of(extra));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code = Main.run(a.toArray(String[]::new), out, out);
    return new Run(code, buf.toString(StandardCharsets.UTF_8));
  }

  static JsonNode manifest(Path dir) throws Exception {
    return new ObjectMapper().readTree(dir.resolve("_manifest.json").toFile());
  }

  static Set<Long> packedDocuments(Path packed) {
    Set<Long> out = new TreeSet<>();
    for (Row r :
        LocalSpark.get().read().parquet(packed.toString()).select("spans").collectAsList()) {
      for (Row s : r.<Row>getList(0)) {
        out.add(s.getLong(3));
      }
    }
    return out;
  }

  @Test
  void anEvalSplitLeavesThePackedRowsAsTheyWere() throws Exception {
    Path plain = dir.resolve("plain");
    Run a = run(plain);
    assertEquals(0, a.code(), a.log());
    Path withEval = dir.resolve("with-eval");
    Run b = run(withEval, "--eval-input", heldout.toString());
    assertEquals(0, b.code(), b.log());
    String digest =
        manifest(plain.resolve("packed")).path("counts").path("content_digest").asText();
    assertEquals(
        digest,
        manifest(withEval.resolve("packed")).path("counts").path("content_digest").asText(),
        "the same packed rows");
    JsonNode ev = manifest(withEval.resolve("evalset"));
    assertEquals("whole-input", ev.path("pool").path("mode").asText());
    assertEquals(withEval.resolve("eval-tokenized").toString(), ev.path("input").asText());
    assertTrue(ev.path("pool").path("documents").asLong() > 0);
    assertEquals(
        "none declared",
        manifest(withEval.resolve("packed")).path("holdout").path("status").asText());
    assertFalse(Files.exists(withEval.resolve("tokenized/_holdout")));
    // A rerun does nothing.
    Run again = run(withEval, "--eval-input", heldout.toString());
    assertEquals(0, again.code(), again.log());
    assertEquals(5, again.log().split("skipped, nothing to do", -1).length - 1, again.log());
  }

  @Test
  void aHoldoutRunRecordsThePoolAndPacksWithoutIt() throws Exception {
    Path root = dir.resolve("holdout");
    Run r =
        run(
            root,
            "--holdout-fraction",
            "0.25",
            "--haystack-domains",
            "RedPajamaBook,RedPajamaArXiv,RedPajamaCommonCrawl");
    assertEquals(0, r.code(), r.log());
    assertTrue(r.log().contains("[evalset] recorded the holdout in"), r.log());
    HoldoutRecord.Documents held =
        HoldoutRecord.read(
            LocalSpark.get().sparkContext().hadoopConfiguration(),
            root.resolve("tokenized").toString());
    assertTrue(held.size() > 0);
    Set<Long> leaked = packedDocuments(root.resolve("packed"));
    leaked.retainAll(Arrays.stream(held.docIds()).boxed().toList());
    assertEquals(Set.of(), leaked, "eval documents in the packed rows");
    JsonNode pm = manifest(root.resolve("packed"));
    assertEquals("excluded", pm.path("holdout").path("status").asText());
    assertEquals(held.size(), pm.path("holdout").path("excluded_documents").asLong());
    assertEquals("holdout", manifest(root.resolve("evalset")).path("pool").path("mode").asText());
    assertTrue(r.log().contains("[pack] holdout: excluded"), r.log());
  }
}
