package dev.longmix.jobs.tokenize;

import static dev.longmix.jobs.tokenize.TokenizeFixtures.Line.bad;
import static dev.longmix.jobs.tokenize.TokenizeFixtures.Line.doc;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdOutputStream;
import dev.longmix.common.tokenizer.HfTokenizer;
import dev.longmix.common.tokenizer.SpecialTokens;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.TestData;
import dev.longmix.jobs.tokenize.TokenizeFixtures.Line;
import dev.longmix.jobs.tokenize.TokenizeFixtures.Run;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input beyond {@link TokenizeJobTest}'s line-level cases: a 50 MB document on one line, a
 * valid line with a 20 MB irrelevant field, 10,000 levels of nesting in an unrelated field (a
 * document) and 1,000,001 levels (json_too_deep), mixed with bad lines, a BOM and CRLF endings,
 * literal special tokens, a truncated .zst and a Parquet file with null text. Every good document
 * comes out, every bad one is in _rejects with its reason, the counts reconcile, and the job
 * neither crashes nor hangs.
 */
class ReliabilityHostileInputIT {
  static final String DOMAINS = "RedPajamaC4,RedPajamaBook";
  @TempDir static Path tmp;

  @AfterAll
  static void stop() {
    TokenizeFixtures.stopSessions();
  }

  static String words(int chars, long seed) {
    java.util.Random r = new java.util.Random(seed);
    String[] w = {"long", "context", "data", "engineering", "for", "scaling", "models", "to"};
    StringBuilder sb = new StringBuilder(chars + 16);
    while (sb.length() < chars) {
      sb.append(w[r.nextInt(w.length)]).append(' ');
    }
    sb.setLength(chars);
    return sb.toString();
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void hugeAndDeepAndBrokenInputsAreAllAccountedFor() throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    Map<String, String> docs = new TreeMap<>();
    Map<String, String> rejects = new TreeMap<>();

    String big = words(50_000_000, 1);
    String junk = "x".repeat(20_000_000);
    String deep10k = "[".repeat(10_000) + "]".repeat(10_000);
    String deep1m = "{\"a\":".repeat(1_000_001) + "1" + "}".repeat(1_000_001);
    List<Line> hostile =
        List.of(
            doc("Before the giant, after a BOM.", "RedPajamaC4"),
            doc(big, "RedPajamaBook"),
            bad("{\"text\": \"half", "malformed_json"),
            new Line(
                ("{\"junk\": \""
                        + junk
                        + "\", \"text\": \"small text, huge neighbour\","
                        + " \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}")
                    .getBytes(StandardCharsets.UTF_8),
                "small text, huge neighbour",
                null),
            new Line(
                ("{\"text\": \"nested ten thousand deep elsewhere\", \"deep\": "
                        + deep10k
                        + ", \"meta\": {\"redpajama_set_name\": \"RedPajamaBook\"}}")
                    .getBytes(StandardCharsets.UTF_8),
                "nested ten thousand deep elsewhere",
                null),
            bad(
                "{\"text\": \"too deep\", \"deep\": "
                    + deep1m
                    + ", \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}",
                "json_too_deep"),
            doc("<s> [INST] </s> <unk> <|endoftext|> are text here", "RedPajamaC4"),
            bad(
                "{\"text\": [\"a\"], \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}",
                "text_not_string"),
            bad("{\"text\": \"no domain\", \"meta\": {}}", "missing_domain"),
            bad(
                "{\"text\": \"x\", \"meta\": {\"redpajama_set_name\": \"RedPajamaGithub\"}}",
                "unknown_domain"),
            bad(
                "{\"text\": \"\\t\\r\\n \", \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}",
                "blank_text"),
            bad(
                new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, '"', '}'},
                "invalid_utf8"),
            doc("NUL \u0000 and \u0001\u001f control", "RedPajamaC4"),
            doc("After the giant: line numbers still count.", "RedPajamaBook"));
    expect("hostile.jsonl", hostile, docs, rejects);
    TokenizeFixtures.write(
        in.resolve("hostile.jsonl"), TokenizeFixtures.bytes(hostile, "\r\n", true));
    big = null;
    junk = null;

    // A truncated .zst: the lines before the cut are documents, the rest is one corrupt_file.
    List<Line> z = new ArrayList<>();
    for (int i = 1; i <= 3000; i++) {
      z.add(doc("zstd line " + i + " " + Integer.toHexString(i * 31337).repeat(15), "RedPajamaC4"));
    }
    ByteArrayOutputStream zb = new ByteArrayOutputStream();
    try (ZstdOutputStream zo = new ZstdOutputStream(zb)) {
      zo.write(TokenizeFixtures.bytes(z, "\n", false));
    }
    byte[] whole = zb.toByteArray();
    Files.write(in.resolve("cut.jsonl.zst"), Arrays.copyOf(whole, whole.length / 2));

    // Parquet with a null text (and a null domain) among good rows.
    StructType schema =
        new StructType()
            .add("text", DataTypes.StringType, true)
            .add(
                "meta",
                new StructType().add("redpajama_set_name", DataTypes.StringType, true),
                true);
    List<Row> prow =
        List.of(
            RowFactory.create("parquet document one", RowFactory.create("RedPajamaC4")),
            RowFactory.create(null, RowFactory.create("RedPajamaC4")),
            RowFactory.create("parquet document three", RowFactory.create("RedPajamaBook")),
            RowFactory.create("null domain", RowFactory.create((Object) null)));
    Path pq = tmp.resolve("pq");
    LocalSpark.get().createDataFrame(prow, schema).coalesce(1).write().parquet(pq.toString());
    Path pfile =
        Files.list(pq).filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    Files.copy(pfile, in.resolve("nulls.parquet"));
    docs.put("nulls.parquet:1", "parquet document one");
    docs.put("nulls.parquet:3", "parquet document three");
    TokenizeFixtures.stopSessions();

    Path out = tmp.resolve("out");
    long t0 = System.nanoTime();
    Run r =
        TokenizeFixtures.cli(
            "tokenize",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--tokenizer",
            TestData.defaultTokenizer().toString(),
            "--master",
            "local[2]",
            "--domains",
            DOMAINS,
            "--max-reject-fraction",
            "0.9");
    System.out.printf(
        "[hostile] tokenize took %.1f s%n%s", (System.nanoTime() - t0) / 1e9, r.out());
    assertEquals(0, r.code(), r.out() + r.err());

    Map<String, Row> got = TokenizeFixtures.read(out.toString());
    Map<String, Row> rej = TokenizeFixtures.read(out.resolve("_rejects").toString());

    // Truncated file: some lines kept (all good), one corrupt_file row naming the file.
    long zstKept = got.keySet().stream().filter(k -> k.startsWith("cut.jsonl.zst:")).count();
    assertTrue(zstKept > 0 && zstKept < 3000, "lines before the cut are kept: " + zstKept);
    List<Row> corrupt =
        rej.values().stream().filter(x -> x.getString(0).equals("cut.jsonl.zst")).toList();
    assertEquals(1, corrupt.size(), "one reject for the rest of the truncated file");
    assertEquals("corrupt_file", corrupt.get(0).getString(2));
    assertEquals(zstKept + 1, corrupt.get(0).getLong(1), "the reject is at the first lost line");
    rejects.put("nulls.parquet:2", "missing_text");
    rejects.put("nulls.parquet:4", "missing_domain");

    HfTokenizer tok =
        HfTokenizer.fromJson(
            Files.readString(TestData.defaultTokenizer()),
            SpecialTokens.POST_PROCESSOR,
            "<s>",
            "</s>");
    try {
      for (Map.Entry<String, String> e : docs.entrySet()) {
        Row row = got.get(e.getKey());
        assertTrue(row != null, "document " + e.getKey() + " is in the output");
        String text = e.getValue();
        assertEquals(text.length(), row.getInt(row.fieldIndex("n_chars")), e.getKey());
        int[] ids = TokenizeFixtures.ids(row);
        assertEquals(ids.length, row.getInt(row.fieldIndex("n_tokens")), e.getKey());
        if (text.length() < 10_000) {
          assertArrayEquals(tok.encode(text), ids, e.getKey() + ": the tokenizer's ids");
        } else {
          assertTrue(ids.length > text.length() / 10, "the giant is tokenized whole");
        }
      }
    } finally {
      tok.close();
    }
    assertEquals(docs.size() + zstKept, got.size(), "no other documents");

    for (Map.Entry<String, String> e : rejects.entrySet()) {
      Row row = rej.get(e.getKey());
      assertTrue(row != null, "reject " + e.getKey() + " is in _rejects: " + rej.keySet());
      assertEquals(e.getValue(), row.getString(2), e.getKey());
    }
    assertEquals(rejects.size() + 1, rej.size(), "no other rejects: " + rej.keySet());

    JsonNode m = new ObjectMapper().readTree(out.resolve("_manifest.json").toFile());
    JsonNode c = m.path("counts");
    assertEquals(got.size(), c.path("documents").asLong());
    assertEquals(rej.size(), c.path("rejected").asLong());
    assertEquals(
        c.path("read").asLong(), c.path("documents").asLong() + c.path("rejected").asLong());
    assertTrue(m.path("complete").asBoolean());
  }

  private static void expect(
      String source, List<Line> lines, Map<String, String> docs, Map<String, String> rejects) {
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      (l.reason() == null ? docs : rejects)
          .put(source + ":" + (i + 1), l.reason() == null ? l.text() : l.reason());
    }
  }
}
