package dev.longmix.jobs.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.longmix.common.corpus.LineReader;
import dev.longmix.jobs.TestData;
import dev.longmix.jobs.tokenize.TokenizeFixtures.Run;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Token ids must equal those of an independent implementation: the Python bindings of Hugging Face
 * {@code tokenizers}, driven by {@code tools/token_parity.py}, which re-reads each document's
 * source line itself. Real text from {@code ../shared/corpus}: the first 300 lines of two shards
 * and the longest book, for each of the four shared tokenizers.
 */
class TokenParityTest {
  static final int LINES_PER_SHARD = 300;
  static final List<String> SHARDS =
      List.of("example_train_0.jsonl.zst", "example_train_5.jsonl.zst");

  @TempDir static Path tmp;
  static Path subset;

  @BeforeAll
  static void writeSubset() throws IOException {
    if (TestData.shared().isEmpty()) {
      return;
    }
    Path corpus = TestData.shared().get().resolve("corpus");
    Path chunk = corpus.resolve("train/chunk1");
    subset = tmp.resolve("subset");
    Files.createDirectories(subset);
    for (String shard : SHARDS) {
      copyLines(chunk.resolve(shard), subset.resolve(shard), n -> n <= LINES_PER_SHARD);
    }
    // The longest book, from provenance.tsv (shard, 0-based line, domain, source, characters).
    String[] longest = null;
    for (String row : Files.readAllLines(corpus.resolve("provenance.tsv"))) {
      String[] f = row.split("\t");
      if (f.length >= 5
          && f[2].equals("RedPajamaBook")
          && (longest == null || Long.parseLong(f[4]) > Long.parseLong(longest[4]))) {
        longest = f;
      }
    }
    assertTrue(longest != null, "provenance.tsv lists a book");
    long wanted = Long.parseLong(longest[1]) + 1;
    copyLines(
        chunk.resolve("example_train_" + longest[0] + ".jsonl.zst"),
        subset.resolve("longest_book.jsonl.zst"),
        n -> n == wanted);
    // Text that only looks like control tokens must be tokenized as text by both sides.
    List<TokenizeFixtures.Line> tricky = new java.util.ArrayList<>();
    for (String t : TRICKY) {
      tricky.add(TokenizeFixtures.Line.doc(t, "RedPajamaCommonCrawl"));
    }
    TokenizeFixtures.write(
        subset.resolve("tricky.jsonl"), TokenizeFixtures.bytes(tricky, "\r\n", true));
  }

  static final List<String> TRICKY =
      List.of(
          "<s>",
          "</s>",
          "Say </s> then <s> then <unk> and <pad>.",
          "gpt2 <|endoftext|>; llama3 <|begin_of_text|><|end_of_text|><|eot_id|><|start_header_id|>",
          "<|reserved_special_token_5|> [INST] hi [/INST] <<SYS>>",
          "  leading and trailing spaces  ",
          "NUL\u0000 BEL\u0007 ESC\u001b DEL\u007f and CRLF\r\ninside",
          "combining: e\u0301 a\u030a; NFKC ﬁ ① Ａ; RTL: שלום مرحبا; CJK: 日本語のテキスト",
          "emoji 👩‍👩‍👧‍👦 🇫🇷 😀 and a private-use \ue000 char",
          "\t\ttabs\tand\u00a0nbsp\u2028line-sep",
          "byte fallback: \u0378\u0379 \ud83e\udee0");

  interface LinePredicate {
    boolean test(long lineNumber);
  }

  private static void copyLines(Path from, Path to, LinePredicate keep) throws IOException {
    try (InputStream in = new ZstdInputStream(Files.newInputStream(from));
        OutputStream out = new ZstdOutputStream(Files.newOutputStream(to))) {
      LineReader r = new LineReader(in);
      int written = 0;
      while (r.next()) {
        if (keep.test(r.lineNumber())) {
          out.write(r.buffer(), r.start(), r.length());
          out.write('\n');
          written++;
        }
      }
      assertTrue(written > 0, "copied lines from " + from);
    }
  }

  @AfterAll
  static void stop() {
    TokenizeFixtures.stopSessions();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"llama2", "mistral", "llama3", "gpt2"})
  void idsEqualPythonTokenizers(String name) throws Exception {
    TestData.requireShared();
    Path python = TestData.repoRoot().resolve(".venv/bin/python");
    assumeTrue(
        Files.isExecutable(python),
        "needs .venv/bin/python with tokenizers, zstandard and pyarrow: python3 -m venv .venv &&"
            + " .venv/bin/pip install tokenizers zstandard pyarrow");
    Path tokenizer = TestData.sharedTokenizer(name);
    Path out = tmp.resolve("tokenized-" + name);
    Run run =
        TokenizeFixtures.cli(
            "tokenize",
            "--input",
            subset.toString(),
            "--output",
            out.toString(),
            "--tokenizer",
            tokenizer.toString(),
            "--master",
            "local[4]");
    assertEquals(0, run.code(), run.out() + run.err());
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("_manifest.json").toFile());
    long documents = manifest.path("counts").path("documents").asLong();
    assertEquals(
        2 * LINES_PER_SHARD + 1 + TRICKY.size(), manifest.path("counts").path("read").asLong());

    Process p =
        new ProcessBuilder(
                python.toString(),
                TestData.repoRoot().resolve("tools/token_parity.py").toString(),
                out.toString(),
                subset.toString(),
                tokenizer.toString())
            .redirectErrorStream(false)
            .start();
    // Read both streams fully (stderr after stdout: the script writes little to either).
    String stdout;
    String stderr;
    try (InputStream o = p.getInputStream();
        InputStream e = p.getErrorStream()) {
      stdout = new String(o.readAllBytes(), StandardCharsets.UTF_8);
      stderr = new String(e.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "token_parity.py finished");
    System.out.println("[parity] " + name + " " + stdout.strip());
    String[] outLines = stdout.strip().split("\n");
    JsonNode result = new ObjectMapper().readTree(outLines[outLines.length - 1]);
    assertEquals(0, p.exitValue(), name + ": " + stdout + stderr);
    assertEquals(documents, result.path("docs").asLong(), "every document was compared");
    assertEquals(0, result.path("mismatches").asLong(), stderr);
  }
}
