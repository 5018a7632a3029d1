package dev.longmix.jobs.tokenize;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.longmix.common.corpus.DocumentId;
import dev.longmix.demo.SampleCorpus;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.Main;
import dev.longmix.jobs.TestData;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named sources ({@code --input NAME=PATH}) on a copy of the generated sample corpus split by its
 * records' domain field: books (SlimPajama's Book set; JSON lines in zstd, the domain field
 * removed), code (Github; plain JSON lines whose domain field says something else, to show it is
 * not read) and web (every other set; Parquet with a text column only). The named run's domains are
 * the names, with exactly the documents, tokens and characters the domain-field run gives their
 * sets; document ids are distinct and carry the source's name; and a ProLong-style mix (long
 * sources long documents only, the short source whole) runs end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NamedSourcesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> NAME_OF =
      Map.of("RedPajamaBook", "books", "RedPajamaGithub", "code");

  @TempDir static Path tmp;
  Path corpus;
  Path split;
  Path field;
  Path named;
  String tokenizer;
  String log;

  static String nameOf(String domain) {
    return NAME_OF.getOrDefault(domain, "web");
  }

  @BeforeAll
  void splitTheCorpusAndTokenizeItBothWays() throws Exception {
    tokenizer = TestData.defaultTokenizer().toString();
    corpus = tmp.resolve("corpus");
    SampleCorpus.write(corpus, 5L, SampleCorpus.Scale.TINY);
    split = tmp.resolve("split");
    writeSplit();
    field = tmp.resolve("field");
    assertEquals(0, cli("tokenize", "--input", corpus.toString(), "--output", field.toString()));
    named = tmp.resolve("named");
    assertEquals(
        0,
        cli(
            "tokenize",
            // Not in name order: the sources are sorted by name whatever order they are given in.
            "--input",
            "web=" + split.resolve("web"),
            "--input",
            "books=" + split.resolve("books"),
            "--input",
            "code=" + split.resolve("code"),
            "--output",
            named.toString()),
        log);
  }

  /** Every line of the corpus, in its domain's source, by file; the web source as Parquet. */
  private void writeSplit() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(corpus)) {
      files = s.filter(p -> p.toString().endsWith(".jsonl.zst")).sorted().toList();
    }
    List<Row> web = new ArrayList<>();
    for (Path f : files) {
      String stem = f.getFileName().toString().replace(".jsonl.zst", "");
      ByteArrayOutputStream books = new ByteArrayOutputStream();
      ByteArrayOutputStream code = new ByteArrayOutputStream();
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(
                  new ZstdInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          ObjectNode o = (ObjectNode) JSON.readTree(line);
          String domain = o.path("meta").path("redpajama_set_name").asText();
          switch (nameOf(domain)) {
            case "books" -> {
              o.remove("meta");
              books.writeBytes(
                  (JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            case "code" -> {
              ((ObjectNode) o.get("meta")).put("redpajama_set_name", "RedPajamaC4");
              code.writeBytes((JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            default -> web.add(RowFactory.create(o.get("text").asText()));
          }
        }
      }
      Path b = split.resolve("books").resolve(stem + ".jsonl.zst");
      Files.createDirectories(b.getParent());
      try (OutputStream out = new ZstdOutputStream(Files.newOutputStream(b))) {
        out.write(books.toByteArray());
      }
      Path c = split.resolve("code").resolve("nested").resolve(stem + ".jsonl");
      Files.createDirectories(c.getParent());
      Files.write(c, code.toByteArray());
    }
    SparkSession spark = LocalSpark.get();
    spark
        .createDataFrame(web, new StructType().add("text", DataTypes.StringType, false))
        .coalesce(2)
        .write()
        .parquet(split.resolve("web").toString());
    spark.stop();
  }

  private int cli(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("--tokenizer", tokenizer, "--master", "local[2]", "--progress-interval", "0"));
    stopSessions();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code = Main.run(a.toArray(String[]::new), out, out);
    log = buf.toString(StandardCharsets.UTF_8);
    stopSessions();
    return code;
  }

  private static void stopSessions() {
    SparkSession.getActiveSession().foreach(s -> (Object) stop(s));
    SparkSession.getDefaultSession().foreach(s -> (Object) stop(s));
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  private static Object stop(SparkSession s) {
    s.stop();
    return null;
  }

  private static JsonNode manifest(Path dir) throws IOException {
    return JSON.readTree(dir.resolve("_manifest.json").toFile());
  }

  @Test
  void theDomainsAreTheNamesWithTheDomainFieldRunsCounts() throws IOException {
    Map<String, long[]> expected = new TreeMap<>();
    manifest(field)
        .get("domains")
        .fields()
        .forEachRemaining(
            e -> {
              long[] c = expected.computeIfAbsent(nameOf(e.getKey()), k -> new long[3]);
              c[0] += e.getValue().get("documents").asLong();
              c[1] += e.getValue().get("tokens").asLong();
              c[2] += e.getValue().get("chars").asLong();
            });
    assertEquals(List.of("books", "code", "web"), List.copyOf(expected.keySet()));
    JsonNode m = manifest(named);
    Map<String, long[]> got = new TreeMap<>();
    m.get("domains")
        .fields()
        .forEachRemaining(
            e ->
                got.put(
                    e.getKey(),
                    new long[] {
                      e.getValue().get("documents").asLong(),
                      e.getValue().get("tokens").asLong(),
                      e.getValue().get("chars").asLong()
                    }));
    assertEquals(expected.keySet(), got.keySet());
    expected.forEach((d, c) -> assertEquals(List.of(c[0], c[1], c[2]), list(got.get(d)), d));
    assertEquals(0, m.get("counts").get("rejected").asLong(), "no record needs a domain field");
    assertEquals(
        manifest(field).get("counts").get("tokens").asLong(),
        m.get("counts").get("tokens").asLong());

    // The manifest names the sources, sorted by name, with their files.
    JsonNode sources = m.get("input").get("sources");
    assertEquals(3, sources.size(), m.get("input").toString());
    List<String> names = new ArrayList<>();
    for (JsonNode s : sources) {
      names.add(s.get("name").asText());
      assertTrue(s.get("files").asLong() > 0, s.toString());
      assertEquals(split.resolve(s.get("name").asText()).toString(), s.get("path").asText());
    }
    assertEquals(List.of("books", "code", "web"), names);
    assertTrue(manifest(field).get("input").get("sources") == null, "unnamed: no sources");

    // Document for document: the same lengths in each domain.
    SparkSession spark = LocalSpark.get();
    List<String> fieldDocs = new ArrayList<>();
    for (Row r :
        spark
            .read()
            .parquet(field.toString())
            .select("domain", "n_tokens", "n_chars")
            .collectAsList()) {
      fieldDocs.add(nameOf(r.getString(0)) + ":" + r.getInt(1) + ":" + r.getInt(2));
    }
    List<String> namedDocs = new ArrayList<>();
    for (Row r :
        spark
            .read()
            .parquet(named.toString())
            .select("domain", "n_tokens", "n_chars")
            .collectAsList()) {
      namedDocs.add(r.getString(0) + ":" + r.getInt(1) + ":" + r.getInt(2));
    }
    Collections.sort(fieldDocs);
    Collections.sort(namedDocs);
    assertEquals(fieldDocs, namedDocs);
  }

  @Test
  void documentIdsAreDistinctAndCarryTheSourceName() {
    SparkSession spark = LocalSpark.get();
    List<Row> rows =
        spark
            .read()
            .parquet(named.toString())
            .select("doc_id", "domain", "source", "line")
            .collectAsList();
    assertEquals(rows.size(), rows.stream().map(r -> r.getLong(0)).distinct().count());
    for (Row r : rows) {
      String source = r.getString(2);
      assertTrue(source.startsWith(r.getString(1) + "/"), source);
      assertEquals(DocumentId.of(source, r.getLong(3)), r.getLong(0), source);
    }
    // The code source's files sit in a subfolder, kept below the name.
    assertTrue(rows.stream().anyMatch(r -> r.getString(2).startsWith("code/nested/")));
    // An unnamed corpus's ids are what they always were: the path below the root and the line.
    for (Row r :
        spark.read().parquet(field.toString()).select("doc_id", "source", "line").collectAsList()) {
      assertTrue(r.getString(1).startsWith("train/chunk1/"), r.getString(1));
      assertEquals(DocumentId.of(r.getString(1), r.getLong(2)), r.getLong(0));
    }
  }

  @Test
  void aProLongStyleMixRunsEndToEnd() throws IOException {
    // Long sources give long documents only, the short source comes whole; 30/30/40.
    Path root = tmp.resolve("prolong");
    SparkSession spark = LocalSpark.get();
    Map<String, Long> longTokens = new TreeMap<>();
    for (Row r :
        spark
            .read()
            .parquet(named.toString())
            .where("n_tokens > 4096")
            .groupBy("domain")
            .sum("n_tokens")
            .collectAsList()) {
      longTokens.put(r.getString(0), r.getLong(1));
    }
    long webTokens = manifest(named).get("domains").get("web").get("tokens").asLong();
    // The most the long sources' long documents, taken once, give at these shares; 80% of it.
    long budget =
        (long)
            (0.8
                * Math.min(
                    Math.min(longTokens.get("books") / 0.3, longTokens.get("code") / 0.3),
                    webTokens / 0.4));
    assertTrue(budget > 8192, "the split corpus holds long books and code: " + longTokens);
    int code =
        cli(
            "run",
            "--input",
            "books=" + split.resolve("books"),
            "--input",
            "code=" + split.resolve("code"),
            "--input",
            "web=" + split.resolve("web"),
            "--output",
            root.toString(),
            "--strategy",
            "per-source",
            "--keep-rate",
            "books=0,code=0,*=1",
            "--domain-shares",
            "books=0.3,code=0.3,web=0.4",
            "--budget-tokens",
            Long.toString(budget),
            "--seq-len",
            "4096",
            "--seed",
            "3");
    assertEquals(0, code, log);
    spark = LocalSpark.get(); // the command stopped the session it found
    assertTrue(
        Pattern.compile("^code/short +0 +0\\.0000 ", Pattern.MULTILINE).matcher(log).find(),
        "the plan shows the rates\n" + log);
    assertTrue(
        log.contains("short documents kept at rate r = books=0.0000 code=0.0000 *=1.0000"), log);
    JsonNode m = manifest(root.resolve("packed"));
    assertEquals(budget, m.get("counts").get("selected_tokens").asLong());
    JsonNode keep = m.get("plan_config").get("keep_rate");
    assertEquals(0.0, keep.get("books").asDouble());
    assertEquals(1.0, keep.get("*").asDouble(), keep.toString());
    JsonNode domains = m.get("report").get("domains");
    Map<String, Double> shares = Map.of("books", 0.3, "code", 0.3, "web", 0.4);
    shares.forEach(
        (d, w) -> {
          JsonNode o = domains.get(d);
          assertEquals(w, o.get("achieved_share").asDouble(), 0.005, d);
        });
    assertEquals(1.0, domains.get("books").get("achieved_long_share").asDouble(), d("books"));
    assertEquals(1.0, domains.get("code").get("achieved_long_share").asDouble(), d("code"));
    // Web at rate 1: its natural long share, as planned.
    JsonNode web = domains.get("web");
    assertEquals(
        web.get("planned_long_share").asDouble(), web.get("achieved_long_share").asDouble(), 0.01);
    // The rows hold no short book or code document (there are some to leave out).
    assertTrue(
        spark
                .read()
                .parquet(root.resolve("tokenized").toString())
                .where("n_tokens <= 4096 AND domain IN ('books', 'code')")
                .count()
            > 0);
    List<Row> shortLongSourceSpans =
        spark
            .read()
            .parquet(root.resolve("packed").toString())
            .selectExpr("explode(spans) AS s")
            .join(
                spark
                    .read()
                    .parquet(root.resolve("tokenized").toString())
                    .where("n_tokens <= 4096 AND domain IN ('books', 'code')")
                    .select("doc_id"),
                col("s.doc_id").equalTo(col("doc_id")))
            .collectAsList();
    assertEquals(List.of(), shortLongSourceSpans, "no short book or code document was taken");
  }

  private static String d(String domain) {
    return domain + ": long documents only";
  }

  private static List<Long> list(long[] a) {
    return List.of(a[0], a[1], a[2]);
  }
}
