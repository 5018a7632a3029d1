package dev.longmix.jobs.evalset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import dev.longmix.common.eval.LengthClasses;
import dev.longmix.common.select.KeyedRandom;
import dev.longmix.demo.SampleCorpus;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.Main;
import dev.longmix.jobs.TestData;
import dev.longmix.jobs.manifest.EvalsetManifest;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.manifest.PackManifest;
import dev.longmix.jobs.tokenize.TokenizeConfig;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The evalset stage on a small real corpus (the generated TINY one, the default tokenizer) whose
 * Wikipedia and StackExchange documents are all there twice, under other lines: the cells against
 * an independent count, the needle prompts, reruns, and the holdout's exclusion from every pack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvalsetJobTest {
  static final double FRACTION = 0.2;
  static final long SEED = 7;
  static final long PER_CELL = 20_000;
  static final int MAX_DOC = 6_000;
  static final List<String> DUPLICATED = List.of("RedPajamaWikipedia", "RedPajamaStackExchange");

  Path dir;
  Path tokenizer;
  String tok;
  String hist;
  String eval;
  Map<Long, EvalsetFixtures.Doc> docs;
  Set<Long> pool;
  Set<List<Integer>> poolIds;
  ByteArrayOutputStream log;

  @BeforeAll
  void fixture() throws Exception {
    SparkSession spark = LocalSpark.get();
    dir = TestData.buildDir().resolve("evalset-test").toAbsolutePath();
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Path corpus = dir.resolve("corpus");
    SampleCorpus.write(corpus, 5L, SampleCorpus.Scale.TINY);
    duplicate(corpus);
    tokenizer = TestData.defaultTokenizer();
    TokenizeConfig t = EvalsetFixtures.tokenize(spark, corpus, dir.resolve("tokenized"), tokenizer);
    tok = t.output();
    hist = dir.resolve("histogram").toString();
    EvalsetFixtures.histogram(spark, t, dir.resolve("histogram"));
    docs = EvalsetFixtures.documents(spark, tok);
    // The pool by the rule's definition: a keyed draw below the fraction.
    pool = new TreeSet<>();
    poolIds = new HashSet<>();
    for (long id : docs.keySet()) {
      if (KeyedRandom.uniform(SEED, KeyedRandom.Stream.HOLDOUT, id, 0, 0) < FRACTION) {
        pool.add(id);
        poolIds.add(boxed(docs.get(id).ids()));
      }
    }
    eval = dir.resolve("eval").toString();
    log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    List<String> a = new ArrayList<>(List.of("evalset"));
    a.addAll(evalArgs(eval));
    a.addAll(List.of("--master", "local[2]"));
    assertEquals(0, Main.run(a.toArray(String[]::new), out, out), log.toString());
  }

  List<String> evalArgs(String output, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--input",
                tok,
                "--output",
                output,
                "--holdout-fraction",
                Double.toString(FRACTION),
                "--seed",
                Long.toString(SEED),
                "--tokens-per-cell",
                Long.toString(PER_CELL),
                "--max-doc-tokens",
                Integer.toString(MAX_DOC),
                "--context-lengths",
                "512,2048,8000",
                "--depths",
                "0,33,50,100",
                "--haystack-domains",
                "RedPajamaBook,RedPajamaArXiv,RedPajamaCommonCrawl",
                "--progress-interval",
                "0"));
    a.addAll(List.of(extra));
    return a;
  }

  /** Appends every document of the DUPLICATED domains again, in a file of its own. */
  static void duplicate(Path corpus) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> copies = new ArrayList<>();
    try (Stream<Path> files = Files.walk(corpus)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".zst")).sorted().toList()) {
        try (BufferedReader r =
            new BufferedReader(
                new InputStreamReader(
                    new ZstdInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            JsonNode n = json.readTree(line);
            if (DUPLICATED.contains(n.path("meta").path("redpajama_set_name").asText())) {
              copies.add(line);
            }
          }
        }
      }
    }
    Files.createDirectories(corpus.resolve("extra"));
    Files.write(corpus.resolve("extra/copies.jsonl"), copies);
  }

  static List<Integer> boxed(int[] ids) {
    return Arrays.stream(ids).boxed().toList();
  }

  EvalsetManifest manifest(String output) {
    Configuration conf = LocalSpark.get().sparkContext().hadoopConfiguration();
    return Manifests.read(conf, output, EvalsetManifest.class).orElseThrow().body();
  }

  @Test
  void cellsHoldWhatAnIndependentCountPicks() {
    // The cells by their definition, computed here: per domain x class, the pool's documents in
    // the order of their keyed hash, each taken when its tokens (at most MAX_DOC) still fit.
    Map<String, List<Long>> want = new TreeMap<>();
    Map<String, long[]> counts = new TreeMap<>();
    List<Long> order = new ArrayList<>(pool);
    order.sort(
        Comparator.comparingLong(
                (Long id) -> KeyedRandom.hash(SEED, KeyedRandom.Stream.EVAL, id, 0, 0))
            .thenComparingLong(id -> id));
    Map<String, Long> left = new HashMap<>();
    for (long id : order) {
      EvalsetFixtures.Doc d = docs.get(id);
      String label = d.ids().length <= 4096 ? "0-4K" : "4K-128K";
      String cell = d.domain() + "/" + label;
      long l = left.getOrDefault(cell, PER_CELL);
      int tokens = Math.min(d.ids().length, MAX_DOC);
      long[] c = counts.computeIfAbsent(cell, k -> new long[5]);
      c[3]++;
      c[4] += tokens;
      if (tokens <= l) {
        want.computeIfAbsent(cell, k -> new ArrayList<>()).add(id);
        left.put(cell, l - tokens);
        c[0]++;
        c[1] += tokens;
        c[2] += d.ids().length > MAX_DOC ? 1 : 0;
      }
    }
    // The validation rows.
    Map<String, List<Long>> got = new TreeMap<>();
    List<Row> rows =
        LocalSpark.get()
            .read()
            .parquet(eval + "/validation")
            .select(
                "doc_id", "domain", "length_class", "n_tokens", "cut", "doc_tokens", "input_ids")
            .collectAsList();
    for (Row r : rows) {
      long id = r.getLong(0);
      EvalsetFixtures.Doc d = docs.get(id);
      assertTrue(pool.contains(id), id + " is not in the eval pool");
      assertEquals(d.domain(), r.getString(1));
      int[] ids = EvalsetFixtures.ints(r.getList(6));
      assertArrayEquals(Arrays.copyOf(d.ids(), Math.min(d.ids().length, MAX_DOC)), ids);
      assertEquals(ids.length, r.getInt(3));
      assertEquals(d.ids().length > MAX_DOC, r.getBoolean(4));
      assertEquals(d.ids().length, r.getInt(5));
      got.computeIfAbsent(r.getString(1) + "/" + r.getString(2), k -> new ArrayList<>()).add(id);
    }
    Map<String, Set<Long>> wantSets = new TreeMap<>();
    want.forEach((k, v) -> wantSets.put(k, new TreeSet<>(v)));
    Map<String, Set<Long>> gotSets = new TreeMap<>();
    got.forEach((k, v) -> gotSets.put(k, new TreeSet<>(v)));
    assertEquals(wantSets, gotSets);
    assertTrue(rows.stream().anyMatch(r -> r.getBoolean(4)), "some document was cut");

    // The manifest: every domain x class, with what it holds and what its pool had.
    EvalsetManifest m = manifest(eval);
    Set<String> domains = new TreeSet<>();
    docs.values().forEach(d -> domains.add(d.domain()));
    assertEquals(domains.size() * 2, m.cells().size(), "every domain x class, empty ones too");
    for (EvalsetManifest.Cell c : m.cells()) {
      long[] x = counts.getOrDefault(c.domain() + "/" + c.lengthClass(), new long[5]);
      String cell = c.domain() + "/" + c.lengthClass();
      assertEquals(x[0], c.documents(), cell);
      assertEquals(x[1], c.tokens(), cell);
      assertEquals(x[2], c.cutDocuments(), cell);
      assertEquals(x[3], c.poolDocuments(), cell);
      assertEquals(x[4], c.poolTokens(), cell);
      assertEquals(x[0] < x[3] || x[1] == PER_CELL, c.filled(), cell);
      assertTrue(c.tokens() <= PER_CELL);
    }
    assertTrue(m.cells().stream().anyMatch(c -> !c.filled()), "a cell the pool cannot fill");
    assertTrue(m.cells().stream().anyMatch(EvalsetManifest.Cell::filled), "a full cell");
    assertTrue(
        log.toString(StandardCharsets.UTF_8).contains("cells hold less than --tokens-per-cell"),
        "the cells the pool cannot fill are reported");
    assertEquals("holdout", m.pool().mode());
    assertEquals(pool.size(), m.pool().documents());
    assertEquals(LengthClasses.TABLE5.cliName(), m.lengthClasses());
  }

  @Test
  void theHoldoutRecordListsThePoolWithItsIdsHashes() {
    HoldoutRecord.Documents r =
        HoldoutRecord.read(LocalSpark.get().sparkContext().hadoopConfiguration(), tok);
    assertEquals(new ArrayList<>(pool), Arrays.stream(r.docIds()).boxed().toList());
    for (int i = 0; i < r.size(); i++) {
      EvalsetFixtures.Doc d = docs.get(r.docIds()[i]);
      assertEquals(d.domain(), r.domains()[i]);
      assertEquals(d.ids().length, r.nTokens()[i]);
      assertEquals(dev.longmix.common.eval.IdsHash.of(d.ids()), r.idsHashes()[i]);
    }
  }

  @Test
  void needlePromptsHaveExactLengthsAndPositions() throws Exception {
    NeedleChecks.Seen seen = NeedleChecks.check(LocalSpark.get(), eval, tokenizer);
    assertEquals(12, seen.prompts());
    System.out.println("[evalset test] default tokenizer: " + seen);
    EvalsetManifest.Haystack h = manifest(eval).needle().haystack();
    for (EvalsetManifest.HaystackDocument d : h.documents()) {
      assertTrue(pool.contains(d.docId()), "haystack document " + d.docId() + " in the pool");
      assertTrue(d.nTokens() > 4096, "a long document");
    }
    assertTrue(h.tokens() >= 8000);
  }

  @Test
  void sameSeedAndSettingsGiveTheSameEvalsetWhateverTheTasks() throws Exception {
    SparkSession spark = LocalSpark.get();
    String other = dir.resolve("eval-small-tasks").toString();
    String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
    spark.conf().set("spark.sql.files.maxPartitionBytes", "100000");
    try {
      EvalsetFixtures.evalset(spark, EvalsetFixtures.QUIET, evalArgs(other).toArray(String[]::new));
    } finally {
      spark.conf().set("spark.sql.files.maxPartitionBytes", before);
    }
    assertEquals(validation(eval), validation(other));
    List<NeedleChecks.Prompt> a = NeedleChecks.prompts(spark, eval);
    List<NeedleChecks.Prompt> b = NeedleChecks.prompts(spark, other);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).ids(), b.get(i).ids());
      assertEquals(a.get(i).prompt(), b.get(i).prompt());
    }
    assertEquals(manifest(eval).cells(), manifest(other).cells());
    assertEquals(
        Files.readString(Path.of(eval, "needle.jsonl")),
        Files.readString(Path.of(other, "needle.jsonl")));
  }

  private static Map<Long, List<Integer>> validation(String dir) {
    Map<Long, List<Integer>> out = new TreeMap<>();
    for (Row r :
        LocalSpark.get()
            .read()
            .parquet(dir + "/validation")
            .select("doc_id", "input_ids")
            .collectAsList()) {
      out.put(r.getLong(0), r.getList(1));
    }
    return out;
  }

  @Test
  void aRerunWithTheSameSettingsIsSkipped() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    List<String> a = new ArrayList<>(List.of("evalset"));
    a.addAll(evalArgs(eval));
    assertEquals(0, Main.run(a.toArray(String[]::new), out, out), buf.toString());
    assertTrue(buf.toString().contains("skipped, nothing to do"), buf.toString());
  }

  static Stream<Arguments> packs() {
    List<Arguments> out = new ArrayList<>();
    for (String packing : List.of("concat", "best-fit")) {
      out.add(Arguments.of("cut-4k", packing, new String[] {}));
      out.add(Arguments.of("cut-128k", packing, new String[] {}));
      out.add(Arguments.of("per-source", packing, new String[] {"--infeasible", "fill-short"}));
      out.add(Arguments.of("global", packing, new String[] {"--infeasible", "fill-short"}));
      out.add(
          Arguments.of(
              "domain",
              packing,
              new String[] {
                "--upsample-domains",
                "RedPajamaCommonCrawl",
                "--infeasible",
                "fill-short",
                "--max-copies",
                "4"
              }));
    }
    return out.stream();
  }

  /** A pack of the fixture through the command line: its exit code, output and manifest. */
  record Packed(int code, String log, String output) {}

  Packed pack(String name, String... args) {
    String output = dir.resolve("packed-" + name).toString();
    List<String> a =
        new ArrayList<>(
            List.of(
                "pack",
                "--input",
                tok,
                "--histogram",
                hist,
                "--output",
                output,
                "--seq-len",
                "4096",
                "--seed",
                "3",
                "--master",
                "local[2]",
                "--progress-interval",
                "0",
                "--overwrite"));
    a.addAll(List.of(args));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code = Main.run(a.toArray(String[]::new), out, out);
    return new Packed(code, buf.toString(StandardCharsets.UTF_8), output);
  }

  PackManifest packManifest(String output) {
    return Manifests.read(
            LocalSpark.get().sparkContext().hadoopConfiguration(), output, PackManifest.class)
        .orElseThrow()
        .body();
  }

  /** The documents (with at least one span) of a packed output. */
  Set<Long> packedDocuments(String output) {
    Set<Long> out = new TreeSet<>();
    for (Row r : LocalSpark.get().read().parquet(output).select("spans").collectAsList()) {
      for (Row s : r.<Row>getList(0)) {
        out.add(s.getLong(3));
      }
    }
    return out;
  }

  /** Packed documents whose ids equal an eval pool document's, counted here. */
  long duplicatesOfThePool(Set<Long> packed) {
    return packed.stream().filter(id -> poolIds.contains(boxed(docs.get(id).ids()))).count();
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("packs")
  void noEvalDocumentIsPackedByAnyStrategyOrPacking(
      String strategy, String packing, String[] extra) {
    List<String> a =
        new ArrayList<>(
            List.of("--strategy", strategy, "--packing", packing, "--budget-fraction", "0.3"));
    a.addAll(List.of(extra));
    Packed p = pack(strategy + "-" + packing, a.toArray(String[]::new));
    assertEquals(0, p.code(), p.log());
    Set<Long> packed = packedDocuments(p.output());
    assertFalse(packed.isEmpty());
    Set<Long> leaked = new TreeSet<>(packed);
    leaked.retainAll(pool);
    assertEquals(Set.of(), leaked, "eval documents in the packed rows");
    PackManifest m = packManifest(p.output());
    assertEquals("excluded", m.holdout().status());
    assertEquals((long) pool.size(), m.holdout().excludedDocuments());
    long poolTokens = pool.stream().mapToLong(id -> docs.get(id).ids().length).sum();
    assertEquals(poolTokens, m.holdout().excludedTokens());
    assertEquals(duplicatesOfThePool(packed), m.evalDuplicates().documents());
    assertEquals(pool.size(), m.evalDuplicates().comparedWith());
    assertTrue(p.log().contains("[pack] holdout: excluded"), p.log());
    // The plan is the training side's: the budget is the fraction of what is left.
    long all = docs.values().stream().mapToLong(d -> d.ids().length).sum();
    assertEquals(Math.round(0.3 * (all - poolTokens)), m.counts().selectedTokens(), 1.0);
  }

  @Test
  void duplicatesOfEvalDocumentsElsewhereInTheCorpusAreCounted() {
    Packed p = pack("all", "--strategy", "cut-128k", "--budget-fraction", "0.97");
    assertEquals(0, p.code(), p.log());
    Set<Long> packed = packedDocuments(p.output());
    long dups = duplicatesOfThePool(packed);
    assertTrue(dups > 0, "the copies of held-out documents are packed");
    PackManifest.EvalDuplicates d = packManifest(p.output()).evalDuplicates();
    assertEquals(dups, d.documents());
    Set<String> domains = new TreeSet<>(d.byDomain().keySet());
    assertTrue(DUPLICATED.containsAll(domains), domains.toString());
    for (long id : d.docIds()) {
      assertFalse(pool.contains(id));
      assertTrue(poolIds.contains(boxed(docs.get(id).ids())));
    }
  }

  @Test
  void noHoldoutPacksThePoolAndSaysSo() {
    Packed p =
        pack("no-holdout", "--strategy", "cut-128k", "--budget-fraction", "0.9", "--no-holdout");
    assertEquals(0, p.code(), p.log());
    Set<Long> packed = packedDocuments(p.output());
    Set<Long> leaked = new TreeSet<>(packed);
    leaked.retainAll(pool);
    assertFalse(leaked.isEmpty(), "without the holdout, eval documents are packed");
    PackManifest m = packManifest(p.output());
    assertEquals("ignored (--no-holdout)", m.holdout().status());
    assertEquals(0L, m.holdout().excludedDocuments());
    assertEquals(duplicatesOfThePool(packed), m.evalDuplicates().documents());
    assertTrue(m.evalDuplicates().documents() >= leaked.size());
  }

  /** A copy of the tokenized dataset, its holdout record changed by {@code change}. */
  Path copy(String name, java.util.function.Consumer<Path> change) throws Exception {
    Path to = dir.resolve(name);
    try (Stream<Path> files = Files.walk(Path.of(tok))) {
      for (Path p : files.toList()) {
        Path t = to.resolve(Path.of(tok).relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    change.accept(to.resolve(HoldoutRecord.DIR));
    return to;
  }

  Packed packOf(Path input, String name, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "--input", input.toString(), "--strategy", "cut-128k", "--budget-fraction", "0.3"));
    a.addAll(List.of(extra));
    return pack(name, a.toArray(String[]::new));
  }

  @Test
  void aHoldoutDeclaredButNotRecordedStopsPackUnlessNoHoldout() throws Exception {
    Path incomplete =
        copy(
            "tok-incomplete",
            h -> {
              try {
                Files.delete(h.resolve("_manifest.json"));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    Packed refused = packOf(incomplete, "incomplete");
    assertEquals(2, refused.code(), refused.log());
    assertTrue(refused.log().contains("declares a holdout"), refused.log());
    assertTrue(refused.log().contains("--no-holdout"), refused.log());
    assertFalse(Files.exists(Path.of(refused.output())), "nothing written");
    Packed allowed = packOf(incomplete, "incomplete", "--no-holdout");
    assertEquals(0, allowed.code(), allowed.log());
    assertEquals("ignored (--no-holdout)", packManifest(allowed.output()).holdout().status());
    assertTrue(allowed.log().contains("[pack] holdout: ignored (--no-holdout)"), allowed.log());
  }

  @Test
  void aHoldoutRecordOfAnotherDatasetStopsPack() throws Exception {
    Path other =
        copy(
            "tok-other",
            h -> {
              try {
                Path m = h.resolve("_manifest.json");
                Files.writeString(
                    m,
                    Files.readString(m)
                        .replaceFirst(
                            "\"input_fingerprint\" : \"[0-9a-f]+\"",
                            "\"input_fingerprint\" : \"0123\""));
                // Hadoop's local filesystem checks a file against its .crc: an edit drops it.
                Files.deleteIfExists(h.resolve("._manifest.json.crc"));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    Packed refused = packOf(other, "other");
    assertEquals(2, refused.code(), refused.log());
    assertTrue(refused.log().contains("made for another tokenized dataset"), refused.log());
  }

  @Test
  void theLongestContextBeyondThePoolsHaystackStopsBeforeAnythingIsWritten() throws Exception {
    Path fresh = copy("tok-fresh", h -> deleteTree(h));
    String out = dir.resolve("eval-too-long").toString();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code =
        Main.run(
            new String[] {
              "evalset",
              "--input",
              fresh.toString(),
              "--output",
              out,
              "--holdout-fraction",
              "0.01",
              "--context-lengths",
              "1024,30000",
              "--master",
              "local[2]"
            },
            p,
            p);
    String text = buf.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, text);
    assertTrue(text.contains("--context-lengths = '1024,30000': the longest, 30000 tokens"), text);
    assertTrue(text.contains("before anything was written"), text);
    assertFalse(Files.exists(Path.of(out)), "no evalset");
    assertFalse(Files.exists(fresh.resolve(HoldoutRecord.DIR)), "no holdout declared");
  }

  @Test
  void anotherHoldoutIsRefusedUnlessReplacedAndThenPackExcludesTheNewOne() throws Exception {
    Path copy = copy("tok-replace", h -> {});
    String out = dir.resolve("eval-replace").toString();
    List<String> a =
        new ArrayList<>(
            List.of(
                "evalset",
                "--input",
                copy.toString(),
                "--output",
                out,
                "--holdout-fraction",
                "0.3",
                "--context-lengths",
                "1024",
                "--depths",
                "50",
                "--haystack-domains",
                "RedPajamaCommonCrawl",
                "--master",
                "local[2]"));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
    assertEquals(2, Main.run(a.toArray(String[]::new), p, p), buf.toString());
    assertTrue(buf.toString().contains("already has a holdout (fraction 0.2"), buf.toString());
    a.add("--replace-holdout");
    assertEquals(0, Main.run(a.toArray(String[]::new), p, p), buf.toString());
    HoldoutRecord.Documents r =
        HoldoutRecord.read(LocalSpark.get().sparkContext().hadoopConfiguration(), copy.toString());
    assertTrue(r.size() > pool.size(), "a larger holdout: " + r.size() + " vs " + pool.size());
    Packed packed = packOf(copy, "replaced");
    assertEquals(0, packed.code(), packed.log());
    Set<Long> leaked = packedDocuments(packed.output());
    leaked.retainAll(Arrays.stream(r.docIds()).boxed().toList());
    assertEquals(Set.of(), leaked);
    assertEquals((long) r.size(), packManifest(packed.output()).holdout().excludedDocuments());
  }

  static void deleteTree(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
