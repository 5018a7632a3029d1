package dev.longmix.jobs.tokenize;

import static dev.longmix.jobs.tokenize.TokenizeFixtures.Line.bad;
import static dev.longmix.jobs.tokenize.TokenizeFixtures.Line.doc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import dev.longmix.common.corpus.DocumentId;
import dev.longmix.common.tokenizer.HfTokenizer;
import dev.longmix.common.tokenizer.SpecialTokens;
import dev.longmix.jobs.TestData;
import dev.longmix.jobs.tokenize.TokenizeFixtures.Line;
import dev.longmix.jobs.tokenize.TokenizeFixtures.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stage 1 end to end in local mode, on files the test writes: good documents mixed with every kind
 * of hostile line, in all three JSON-lines formats, plus a truncated zstd file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenizeJobTest {
  private static final String DOMAINS = "RedPajamaC4,RedPajamaBook";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  Path input;
  Path output;
  String tokenizer;
  HfTokenizer tok;
  Run first;

  /** "source:line" → expected text of every good document (truncated file excluded). */
  final Map<String, String> expectedDocs = new LinkedHashMap<>();

  /** "source:line" → expected reject reason. */
  final Map<String, String> expectedRejects = new LinkedHashMap<>();

  /** "line" → text of every line of the truncated file, all of them good. */
  final Map<Long, String> truncatedLines = new HashMap<>();

  static final String TRUNCATED = "sub/d_truncated.jsonl.zst";

  @BeforeAll
  void tokenizeTheFixtures() throws IOException {
    tokenizer = TestData.defaultTokenizer().toString();
    tok =
        HfTokenizer.fromJson(
            Files.readString(Path.of(tokenizer)), SpecialTokens.POST_PROCESSOR, "<s>", "</s>");
    input = tmp.resolve("in");
    output = tmp.resolve("out");

    byte[] ff =
        "{\"text\": \"bad \u0000 byte\", \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}"
            .getBytes(StandardCharsets.UTF_8);
    ff[14] = (byte) 0xFF; // replaces the NUL character inside the string
    byte[] cut =
        "{\"text\": \"euro \u0000\u0000 sign\", \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}"
            .getBytes(StandardCharsets.UTF_8);
    cut[15] = (byte) 0xE2; // a 3-byte sequence cut after two bytes
    cut[16] = (byte) 0x82;
    List<Line> a =
        List.of(
            doc("The first document, plain English.", "RedPajamaC4"),
            bad("{\"text\": \"abc\"", "malformed_json"),
            doc("Ünïcödé, 中文, emoji 😀 and a tab\there.", "RedPajamaBook"),
            bad(
                "{\"text\": 5, \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}",
                "text_not_string"),
            bad("{\"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}", "missing_text"),
            bad(
                "{\"text\": \"x\", \"meta\": {\"redpajama_set_name\": \"RedPajamaArXiv\"}}",
                "unknown_domain"),
            bad(
                "{\"text\": \"\", \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}",
                "empty_text"),
            bad(
                "{\"text\": \"  \\n\\t \", \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}",
                "blank_text"),
            bad(ff, "invalid_utf8"),
            bad(cut, "invalid_utf8"),
            doc("NUL\u0000 and BEL\u0007 and ESC\u001b are text.", "RedPajamaC4"),
            bad("", "blank_line"),
            doc("A web page that mentions </s> and <s> literally: </s>", "RedPajamaC4"),
            bad("[1, 2]", "not_an_object"),
            bad(
                "{\"text\": \"a\\ud800b\", \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}",
                "invalid_unicode_escape"),
            bad("{\"text\": \"x\", \"meta\": {\"redpajama_set_name\": 3}}", "domain_not_string"),
            bad("{\"text\": \"x\"}", "missing_domain"),
            bad(
                "{\"text\": \"x\", \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}} trailing",
                "malformed_json"),
            doc("Last line, no newline after it.", "RedPajamaBook"));
    List<Line> b = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      b.add(
          i % 7 == 3
              ? bad("{\"text\": \"gz " + i + "\", \"meta\": {}}", "missing_domain")
              : doc("Gzip document number " + i + ". " + "word ".repeat(i), "RedPajamaC4"));
    }
    List<Line> c =
        List.of(
            doc("After a byte-order mark, with CRLF endings.", "RedPajamaC4"),
            bad(" \t ", "blank_line"),
            doc("Second CRLF line\r\nwith an escaped CRLF inside.", "RedPajamaBook"),
            bad(
                "{\"text\": \"raw\u0001control\", \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}",
                "malformed_json"),
            doc("</s>", "RedPajamaC4"),
            doc("   leading spaces are kept", "RedPajamaC4"));
    expect("a.jsonl.zst", a);
    expect("b.jsonl.gz", b);
    expect("c.jsonl", c);
    TokenizeFixtures.write(input.resolve("a.jsonl.zst"), TokenizeFixtures.bytes(a, "\n", false));
    TokenizeFixtures.write(input.resolve("b.jsonl.gz"), TokenizeFixtures.bytes(b, "\n", false));
    TokenizeFixtures.write(input.resolve("c.jsonl"), TokenizeFixtures.bytes(c, "\r\n", true));

    // A zstd file cut in half: what decodes before the cut is kept, the rest is one reject.
    List<Line> d = new ArrayList<>();
    for (int i = 1; i <= 4000; i++) {
      String text = "Truncated-file document " + i + " " + Integer.toHexString(i * 7919).repeat(20);
      d.add(doc(text, "RedPajamaC4"));
      truncatedLines.put((long) i, text);
    }
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (ZstdOutputStream zo = new ZstdOutputStream(z)) {
      zo.write(TokenizeFixtures.bytes(d, "\n", false));
    }
    byte[] whole = z.toByteArray();
    Files.createDirectories(input.resolve("sub"));
    Files.write(input.resolve(TRUNCATED), Arrays.copyOf(whole, whole.length / 2));

    first = run(output, "--domains", DOMAINS);
  }

  private void expect(String source, List<Line> lines) {
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      String key = source + ":" + (i + 1);
      if (l.reason() == null) {
        expectedDocs.put(key, l.text());
      } else {
        expectedRejects.put(key, l.reason());
      }
    }
  }

  private Run run(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "tokenize",
                "--input",
                input.toString(),
                "--output",
                out.toString(),
                "--tokenizer",
                tokenizer,
                "--master",
                "local[2]",
                "--max-reject-fraction",
                "0.9"));
    args.addAll(List.of(extra));
    return TokenizeFixtures.cli(args.toArray(String[]::new));
  }

  private JsonNode manifest(Path dir) throws IOException {
    return JSON.readTree(dir.resolve("_manifest.json").toFile());
  }

  @AfterAll
  void close() {
    if (tok != null) {
      tok.close();
    }
    TokenizeFixtures.stopSessions();
  }

  @Test
  void everyGoodDocumentComesOutWithItsTokenizerIds() {
    assertEquals(0, first.code(), first.out() + first.err());
    Map<String, Row> docs = TokenizeFixtures.read(output.toString());
    Map<String, String> got = new TreeMap<>();
    for (Map.Entry<String, Row> e : docs.entrySet()) {
      if (!e.getKey().startsWith(TRUNCATED + ":")) {
        got.put(e.getKey(), e.getValue().getString(e.getValue().fieldIndex("domain")));
      }
    }
    assertEquals(new TreeMap<>(expectedDocs).keySet(), got.keySet());
    for (Map.Entry<String, String> e : expectedDocs.entrySet()) {
      Row r = docs.get(e.getKey());
      String text = e.getValue();
      int[] ids = TokenizeFixtures.ids(r);
      assertArrayEquals(tok.encode(text), ids, e.getKey());
      assertEquals(ids.length, r.getInt(r.fieldIndex("n_tokens")), e.getKey());
      assertEquals(text.length(), r.getInt(r.fieldIndex("n_chars")), e.getKey());
      String source = r.getString(r.fieldIndex("source"));
      long line = r.getLong(r.fieldIndex("line"));
      assertEquals(DocumentId.of(source, line), r.getLong(r.fieldIndex("doc_id")), e.getKey());
      assertEquals(1, ids[0], "Mistral's post-processor puts <s> first: " + e.getKey());
    }
  }

  @Test
  void aLiteralEosInTextIsTextNotTheEosId() {
    Map<String, Row> docs = TokenizeFixtures.read(output.toString());
    int eos = HfTokenizer.tokenId(readTree(tokenizer), "</s>").getAsInt();
    int bos = HfTokenizer.tokenId(readTree(tokenizer), "<s>").getAsInt();
    int checked = 0;
    for (Map.Entry<String, String> e : expectedDocs.entrySet()) {
      if (!e.getValue().contains("</s>")) {
        continue;
      }
      int[] ids = TokenizeFixtures.ids(docs.get(e.getKey()));
      for (int i = 0; i < ids.length; i++) {
        assertTrue(ids[i] != eos, e.getKey() + ": EOS id at " + i + " in " + Arrays.toString(ids));
        assertTrue(i == 0 || ids[i] != bos, e.getKey() + ": BOS id inside the text");
      }
      assertTrue(ids.length > 3, "</s> became several text tokens: " + Arrays.toString(ids));
      checked++;
    }
    assertEquals(2, checked);
  }

  private static JsonNode readTree(String file) {
    try {
      return JSON.readTree(Path.of(file).toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyBadLineIsInRejectsWithItsReason() {
    Map<String, Row> rejects = TokenizeFixtures.read(output.resolve("_rejects").toString());
    Map<String, String> got = new TreeMap<>();
    for (Map.Entry<String, Row> e : rejects.entrySet()) {
      if (!e.getKey().startsWith(TRUNCATED + ":")) {
        got.put(e.getKey(), e.getValue().getString(e.getValue().fieldIndex("reason")));
      }
    }
    assertEquals(new TreeMap<>(expectedRejects), got);
    for (Row r : rejects.values()) {
      assertNotNull(r.getString(r.fieldIndex("detail")));
    }
  }

  @Test
  void aTruncatedFileIsReportedByNameAndTheRestStillProcess() {
    Map<String, Row> rejects = TokenizeFixtures.read(output.resolve("_rejects").toString());
    List<Row> corrupt =
        rejects.values().stream()
            .filter(r -> r.getString(r.fieldIndex("source")).equals(TRUNCATED))
            .toList();
    assertEquals(1, corrupt.size(), "one reject row for the unreadable rest: " + corrupt);
    Row c = corrupt.get(0);
    assertEquals("corrupt_file", c.getString(c.fieldIndex("reason")));
    long cutAt = c.getLong(c.fieldIndex("line"));
    assertTrue(cutAt > 1 && cutAt < 4000, "the cut is mid-file: line " + cutAt);
    // Every complete line before the cut is a document, none after it.
    Map<String, Row> docs = TokenizeFixtures.read(output.toString());
    long fromTruncated = 0;
    for (Row r : docs.values()) {
      if (r.getString(r.fieldIndex("source")).equals(TRUNCATED)) {
        long line = r.getLong(r.fieldIndex("line"));
        assertTrue(line < cutAt, "line " + line + " is after the cut at " + cutAt);
        assertArrayEquals(tok.encode(truncatedLines.get(line)), TokenizeFixtures.ids(r));
        fromTruncated++;
      }
    }
    assertEquals(cutAt - 1, fromTruncated);
    assertTrue(
        first.out().contains("corrupt_file"), "the run's report names the reason: " + first.out());
  }

  @Test
  void theManifestReconciles() throws IOException {
    JsonNode m = manifest(output);
    JsonNode counts = m.path("counts");
    long read = counts.path("read").asLong();
    long documents = counts.path("documents").asLong();
    long rejected = counts.path("rejected").asLong();
    assertEquals(read, documents + rejected);
    Map<String, Row> docs = TokenizeFixtures.read(output.toString());
    Map<String, Row> rejects = TokenizeFixtures.read(output.resolve("_rejects").toString());
    assertEquals(docs.size(), documents);
    assertEquals(rejects.size(), rejected);
    assertEquals(expectedRejects.size() + 1, rejected);
    assertTrue(m.path("complete").asBoolean());
    Map<String, Long> reasons = new TreeMap<>();
    expectedRejects.values().forEach(r -> reasons.merge(r, 1L, Long::sum));
    reasons.put("corrupt_file", 1L);
    Map<String, Long> recorded = new TreeMap<>();
    m.path("reject_reasons")
        .fields()
        .forEachRemaining(e -> recorded.put(e.getKey(), e.getValue().asLong()));
    assertEquals(reasons, recorded);
    long sum = 0;
    for (JsonNode d : m.path("domains")) {
      sum += d.path("documents").asLong();
    }
    assertEquals(documents, sum);
    assertEquals(List.of("RedPajamaBook", "RedPajamaC4"), iter(m.path("domains").fieldNames()));
    // The default tokenizer (Mistral) is SentencePiece-shaped: its words go through the memo.
    JsonNode memo = m.path("word_memo");
    long words = memo.path("words").asLong();
    long memoized = memo.path("memoized").asLong();
    assertTrue(words >= documents && memoized > 0 && memoized < words, memo.toString());
  }

  private static List<String> iter(java.util.Iterator<String> it) {
    List<String> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }

  @Test
  void docIdsDoNotDependOnPartitioningOrOnWhichFilesAreListed() throws IOException {
    Path one = tmp.resolve("out-local1");
    Path four = tmp.resolve("out-local4");
    Run r1 = run(one, "--domains", DOMAINS, "--master", "local[1]");
    Run r4 =
        run(
            four,
            "--domains",
            DOMAINS,
            "--master",
            "local[4]",
            "--conf",
            "spark.default.parallelism=7");
    assertEquals(0, r1.code(), r1.err());
    assertEquals(0, r4.code(), r4.err());
    Map<String, Row> base = TokenizeFixtures.read(output.toString());
    for (Path p : List.of(one, four)) {
      Map<String, Row> other = TokenizeFixtures.read(p.toString());
      assertEquals(base.keySet(), other.keySet());
      for (Map.Entry<String, Row> e : base.entrySet()) {
        Row x = e.getValue();
        Row y = other.get(e.getKey());
        assertEquals(x.getLong(x.fieldIndex("doc_id")), y.getLong(y.fieldIndex("doc_id")));
        assertArrayEquals(TokenizeFixtures.ids(x), TokenizeFixtures.ids(y));
      }
    }
    // Listing a single file of the same folder gives that file's documents the same ids.
    Path single = tmp.resolve("out-single");
    Run rs =
        TokenizeFixtures.cli(
            "tokenize",
            "--input",
            input.resolve("c.jsonl").toString(),
            "--output",
            single.toString(),
            "--tokenizer",
            tokenizer,
            "--master",
            "local[1]",
            "--max-reject-fraction",
            "0.9");
    assertEquals(0, rs.code(), rs.err());
    for (Row y : TokenizeFixtures.read(single.toString()).values()) {
      String key = y.getString(y.fieldIndex("source")) + ":" + y.getLong(y.fieldIndex("line"));
      Row x = base.get(key);
      assertNotNull(x, key + " is also in the folder run");
      assertEquals(x.getLong(x.fieldIndex("doc_id")), y.getLong(y.fieldIndex("doc_id")));
    }
  }

  @Test
  void aRerunWithTheSameSettingsDoesNothing() throws IOException {
    Map<Path, FileTime> before = new TreeMap<>();
    for (Path p : TokenizeFixtures.listing(output)) {
      before.put(p, Files.getLastModifiedTime(p));
    }
    Run again = run(output, "--domains", DOMAINS);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("nothing to do"), again.out());
    Map<Path, FileTime> after = new TreeMap<>();
    for (Path p : TokenizeFixtures.listing(output)) {
      after.put(p, Files.getLastModifiedTime(p));
    }
    assertEquals(before, after, "the output was not touched");
  }

  @Test
  void anOutputMadeWithOtherSettingsIsRefusedNamingOutput() throws IOException {
    Map<Path, FileTime> before = new TreeMap<>();
    for (Path p : TokenizeFixtures.listing(output)) {
      before.put(p, Files.getLastModifiedTime(p));
    }
    Run other = run(output, "--domains", DOMAINS, "--special-tokens", "bos-eos");
    assertEquals(2, other.code(), other.out() + other.err());
    assertTrue(other.err().contains("--output"), other.err());
    Map<Path, FileTime> after = new TreeMap<>();
    for (Path p : TokenizeFixtures.listing(output)) {
      after.put(p, Files.getLastModifiedTime(p));
    }
    assertEquals(before, after, "the refused run left the data alone");
  }

  /**
   * A word-level tokenizer whose unknown token is not in its vocabulary: the Rust tokenizer raises
   * an error for any word outside {longmix, hello, world}, which is how a tokenizer failure on one
   * record is made here.
   */
  static final String FAILING_TOKENIZER =
      """
      {"version":"1.0","truncation":null,"padding":null,"added_tokens":[],"normalizer":null,
       "pre_tokenizer":{"type":"Whitespace"},"post_processor":null,"decoder":null,
       "model":{"type":"WordLevel","unk_token":"<unk>",
         "vocab":{"longmix":0,"hello":1,"world":2}}}
      """;

  @Test
  void aTokenizerErrorIsARejectInJsonLinesAndInParquetAlike() throws IOException {
    Path in = tmp.resolve("tokenizer-errors");
    TokenizeFixtures.write(
        in.resolve("a.jsonl"),
        TokenizeFixtures.bytes(
            List.of(
                doc("hello world", "RedPajamaC4"),
                doc("hello mars", "RedPajamaC4"),
                doc("world", "RedPajamaBook")),
            "\n",
            false));
    org.apache.spark.sql.types.StructType schema =
        new org.apache.spark.sql.types.StructType()
            .add("text", org.apache.spark.sql.types.DataTypes.StringType)
            .add(
                "meta",
                new org.apache.spark.sql.types.StructType()
                    .add("redpajama_set_name", org.apache.spark.sql.types.DataTypes.StringType));
    Path pq = tmp.resolve("tokenizer-errors-parquet");
    dev.longmix.jobs.LocalSpark.get()
        .createDataFrame(
            List.of(
                org.apache.spark.sql.RowFactory.create(
                    "world hello", org.apache.spark.sql.RowFactory.create("RedPajamaC4")),
                org.apache.spark.sql.RowFactory.create(
                    "hello venus", org.apache.spark.sql.RowFactory.create("RedPajamaBook")),
                org.apache.spark.sql.RowFactory.create(
                    "hello", org.apache.spark.sql.RowFactory.create("RedPajamaBook"))),
            schema)
        .coalesce(1)
        .write()
        .parquet(pq.toString());
    try (var files = Files.list(pq)) {
      Files.copy(
          files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow(),
          in.resolve("b.parquet"));
    }
    Path tokenizerJson = tmp.resolve("failing-tokenizer.json");
    Files.writeString(tokenizerJson, FAILING_TOKENIZER);
    Path out = tmp.resolve("out-tokenizer-errors");
    Run r =
        TokenizeFixtures.cli(
            "tokenize",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--tokenizer",
            tokenizerJson.toString(),
            "--master",
            "local[2]",
            "--max-reject-fraction",
            "0.5");
    assertEquals(0, r.code(), r.out() + r.err());

    Map<String, Row> docs = TokenizeFixtures.read(out.toString());
    assertEquals(
        List.of("a.jsonl:1", "a.jsonl:3", "b.parquet:1", "b.parquet:3"),
        docs.keySet().stream().sorted().toList());
    assertArrayEquals(new int[] {2, 1}, TokenizeFixtures.ids(docs.get("b.parquet:1")));
    Map<String, Row> rejects = TokenizeFixtures.read(out.resolve("_rejects").toString());
    assertEquals(List.of("a.jsonl:2", "b.parquet:2"), rejects.keySet().stream().sorted().toList());
    for (Row x : rejects.values()) {
      assertEquals("tokenizer_error", x.getString(x.fieldIndex("reason")));
      assertFalse(x.getString(x.fieldIndex("detail")).isBlank(), "the tokenizer's message");
    }
    JsonNode c = manifest(out).path("counts");
    assertEquals(6, c.path("read").asLong());
    assertEquals(4, c.path("documents").asLong());
    assertEquals(2, c.path("rejected").asLong());
    assertEquals(2, manifest(out).path("reject_reasons").path("tokenizer_error").asLong());
    assertTrue(manifest(out).path("word_memo").isMissingNode(), "a word-level tokenizer: no memo");
  }

  @Test
  void tooManyRejectsExitsThree() throws IOException {
    Path in = tmp.resolve("mostly-bad");
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      lines.add(i % 5 == 0 ? doc("good " + i, "RedPajamaC4") : bad("{nope " + i, "malformed_json"));
    }
    TokenizeFixtures.write(in.resolve("x.jsonl"), TokenizeFixtures.bytes(lines, "\n", false));
    Path out = tmp.resolve("out-mostly-bad");
    Run r =
        TokenizeFixtures.cli(
            "tokenize",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--tokenizer",
            tokenizer,
            "--master",
            "local[1]",
            "--max-reject-fraction",
            "0.01");
    assertEquals(3, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("--max-reject-fraction"), r.out());
    JsonNode m = manifest(out);
    assertFalse(m.path("complete").asBoolean(), "a failed run is not complete");
    assertEquals(16, m.path("counts").path("rejected").asLong());
    assertEquals(4, m.path("counts").path("documents").asLong());
  }

  @Test
  void invalidSettingsExitTwoNamingTheKeyWithoutStartingSpark() throws IOException {
    String in = input.toString();
    String out = tmp.resolve("never").toString();
    List<List<String>> cases =
        List.of(
            List.of("--bogus", "1", "--input", in, "--output", out, "--tokenizer", tokenizer),
            List.of(
                "--input",
                in,
                "--output",
                out,
                "--tokenizer",
                tokenizer,
                "--special-tokens",
                "eos-bos"),
            List.of(
                "--input",
                tmp.resolve("absent").toString(),
                "--output",
                out,
                "--tokenizer",
                tokenizer),
            List.of(
                "--input",
                in,
                "--output",
                out,
                "--tokenizer",
                tokenizer,
                "--max-reject-fraction",
                "2"),
            List.of(
                "--input", in, "--output", out, "--tokenizer", tmp.resolve("no.json").toString()),
            List.of("--output", out, "--tokenizer", tokenizer));
    List<String> keys =
        List.of(
            "--bogus",
            "--special-tokens",
            "--input",
            "--max-reject-fraction",
            "--tokenizer",
            "--input");
    for (int i = 0; i < cases.size(); i++) {
      List<String> args = new ArrayList<>(List.of("tokenize"));
      args.addAll(cases.get(i));
      Run r = TokenizeFixtures.cli(args.toArray(String[]::new));
      assertEquals(2, r.code(), args + ": " + r.out() + r.err());
      assertTrue(r.err().contains(keys.get(i)), keys.get(i) + " named in: " + r.err());
      assertTrue(
          org.apache.spark.sql.SparkSession.getActiveSession().isEmpty()
              && org.apache.spark.sql.SparkSession.getDefaultSession().isEmpty(),
          "no SparkSession for " + args);
      assertTrue(r.millis() < 30_000, "rejected before any cluster work: " + r.millis() + " ms");
      assertFalse(Files.exists(Path.of(out)), "nothing written for " + args);
    }
  }
}
