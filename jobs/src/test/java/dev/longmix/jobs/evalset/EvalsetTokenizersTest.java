package dev.longmix.jobs.evalset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.TestData;
import dev.longmix.jobs.manifest.EvalsetManifest;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.tokenize.TokenizeConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exact prompt lengths and needle positions for every tokenizer of {@code ../shared/tokenizers}
 * (LLaMA-2, Mistral, LLaMA-3, GPT-2: with and without BOS, SentencePiece and byte-level BPE) and
 * for the project's default one, on real text: two Gutenberg books and the first documents of one
 * file of {@code ../shared/corpus}, tokenized with each, the evalset built from all of it (a
 * held-out split's case) with needle prompts up to 65,536 tokens. The ../shared cases skip without
 * ../shared, saying so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvalsetTokenizersTest {
  static final String LENGTHS = "1000,4096,16384,65536";
  static final String DEPTHS = "0,11,50,89,100";
  Path dir;
  Path corpus;

  @BeforeAll
  void corpus() throws Exception {
    dir = TestData.buildDir().resolve("evalset-tokenizers").toAbsolutePath();
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    corpus = dir.resolve("corpus");
    Files.createDirectories(corpus);
  }

  /**
   * Real text from ../shared/corpus, as a corpus folder: the books of one of its files, and that
   * file's first documents.
   */
  private Path sharedText() throws Exception {
    Path out = corpus.resolve("shared.jsonl");
    if (Files.exists(out)) {
      return corpus;
    }
    Path file = TestData.requireShared().resolve("corpus/train/chunk1/example_train_1.jsonl.zst");
    ObjectMapper json = new ObjectMapper();
    List<String> keep = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new ZstdInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        String domain = json.readTree(line).path("meta").path("redpajama_set_name").asText();
        if (domain.equals("RedPajamaBook") || n < 60) {
          keep.add(line);
        }
        n++;
      }
    }
    Files.write(out, keep);
    return corpus;
  }

  /** Tokenizes {@code in} with {@code tokenizer}, builds the evalset and checks its prompts. */
  void checkTokenizer(String name, Path tokenizer, Path in) throws Exception {
    SparkSession spark = LocalSpark.get();
    TokenizeConfig tok =
        EvalsetFixtures.tokenize(spark, in, dir.resolve(name + "-tokenized"), tokenizer);
    String eval = dir.resolve(name + "-eval").toString();
    EvalsetFixtures.evalset(
        spark,
        EvalsetFixtures.QUIET,
        "--input",
        tok.output(),
        "--output",
        eval,
        "--tokens-per-cell",
        "20000",
        "--context-lengths",
        LENGTHS,
        "--depths",
        DEPTHS,
        "--haystack-domains",
        "RedPajamaBook");
    NeedleChecks.Seen seen = NeedleChecks.check(spark, eval, tokenizer);
    assertEquals(LENGTHS.split(",").length * DEPTHS.split(",").length, seen.prompts());
    EvalsetManifest m =
        Manifests.read(spark.sparkContext().hadoopConfiguration(), eval, EvalsetManifest.class)
            .orElseThrow()
            .body();
    assertEquals("whole-input", m.pool().mode());
    assertTrue(m.needle().haystack().tokens() >= 65536);
    System.out.printf(
        "[evalset test] %-8s head %s, needle %d ids, %d prompts exact; decoded prompt re-encodes"
            + " to its ids in %d of %d; needle moved back at most %d tokens%n",
        name,
        m.needle().headIds(),
        m.needle().needleIds().size(),
        seen.prompts(),
        seen.reencodedEqual(),
        seen.prompts(),
        seen.maxMovedBack());
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama2", "mistral", "llama3", "gpt2"})
  void everySharedTokenizerGivesExactPromptsAndNeedlePositions(String name) throws Exception {
    Path tokenizer = TestData.sharedTokenizer(name);
    checkTokenizer(name, tokenizer, sharedText());
  }

  @Test
  void theDefaultTokenizerGivesExactPromptsAndNeedlePositions() throws Exception {
    Path in;
    if (TestData.shared().isPresent()) {
      in = sharedText();
    } else {
      // Without ../shared, the demo's generated corpus (three books of 100K+ tokens) stands in.
      in = dir.resolve("demo-corpus");
      dev.longmix.demo.SampleCorpus.write(
          in, dev.longmix.demo.SampleCorpus.DEFAULT_SEED, dev.longmix.demo.SampleCorpus.Scale.DEMO);
    }
    checkTokenizer("default", TestData.defaultTokenizer(), in);
  }
}
