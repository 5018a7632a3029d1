package dev.longmix.jobs.export;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longmix.jobs.ExitCode;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.PythonTools;
import dev.longmix.jobs.SmallRun;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.s3.S3Proxy;
import dev.longmix.jobs.s3.S3Settings;
import dev.longmix.jobs.spark.FailureInjection;
import dev.longmix.jobs.tokenize.TokenizeFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code longmix export --format megatron} on real packed outputs (the small run's concat rows, and
 * a best-fit, cut-4k packing of the same documents with padded rows), each checked by
 * tools/megatron_check.py: the package's NumPy reader of Megatron-LM's layout, independent of the
 * Java writer, against the Parquet rows (every data token in row order, one sequence per span, the
 * document index the spans give, the manifest's counts). The checks need the Python environment of
 * scripts/python-env.sh and skip, saying so, without it; the bad-input cases, rerun, retry and S3
 * byte-equality tests need only Java.
 */
class ExportJobTest {
  @TempDir Path tmp;

  private static TokenizeFixtures.Run export(String input, String output, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of("export", "--input", input, "--output", output, "--format", "megatron"));
    a.addAll(List.of(extra));
    if (!a.contains("--master")) {
      a.addAll(List.of("--master", "local[2]"));
    }
    a.addAll(List.of("--progress-interval", "0"));
    return TokenizeFixtures.cli(a.toArray(String[]::new));
  }

  private static JsonNode check(Path python, Path packed, Path out) throws Exception {
    String log = PythonTools.run(python, "megatron_check.py", 5, packed.toString(), out.toString());
    String json = log.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
    JsonNode r = Manifests.JSON.readTree(json);
    assertTrue(r.path("ok").asBoolean(), log);
    System.out.println("megatron_check " + out.getFileName() + ": " + json);
    return r;
  }

  private static JsonNode manifest(Path dir) throws IOException {
    return Manifests.JSON.readTree(dir.resolve("_manifest.json").toFile());
  }

  private static int dataFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.filter(p -> p.getFileName().toString().startsWith("part-")).count();
    }
  }

  @Test
  void concatRowsEveryTokenInRowOrderOneSequencePerSpan() throws Exception {
    Path python = PythonTools.require("longmix", "pyarrow", "numpy");
    Path packed = SmallRun.root().resolve("packed");

    // Defaults: dtype from the ids (Mistral's 32,000 fit uint16), one pair per packed file, every
    // sequence ending with the tokenizer's EOS '</s>' = 2 (the framing adds only BOS, so each gets
    // one appended).
    Path auto = tmp.resolve("auto");
    TokenizeFixtures.Run r = export(packed.toString(), auto.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("content digest"), r.out());
    JsonNode c = check(python, packed, auto);
    assertEquals("uint16", c.path("dtype").asText());
    assertEquals(dataFiles(packed), c.path("files").asInt());
    assertTrue(c.path("files").asInt() > 1, c.toString());
    assertTrue(c.path("continued_sequences").asLong() > 0, "concat rows continue documents");
    assertTrue(manifest(auto).path("dtype_rule").asText().startsWith("auto: largest id "));
    assertEquals(2, c.path("eod").asInt());
    assertEquals(c.path("sequences").asLong(), c.path("eod_appended").asLong());
    assertEquals(c.path("sequences").asLong(), c.path("sequences_ending_with_eod").asLong());
    assertEquals(0, c.path("eod_inside_sequences").asLong(), "no '</s>' inside the data");
    assertTrue(
        manifest(auto).path("eod_rule").asText().startsWith("eos: '</s>' in "),
        manifest(auto).toString());

    // Run again: complete for these settings, nothing to do, nothing rewritten.
    long before = Files.getLastModifiedTime(auto.resolve("part-00000.bin")).toMillis();
    TokenizeFixtures.Run again = export(packed.toString(), auto.toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("nothing to do"), again.out());
    assertEquals(before, Files.getLastModifiedTime(auto.resolve("part-00000.bin")).toMillis());

    // Without EOD: the sequences are the spans exactly, as many tokens as the rows' data.
    Path plain = tmp.resolve("plain");
    r = export(packed.toString(), plain.toString(), "--append-eod", "none");
    assertEquals(0, r.code(), r.out() + r.err());
    JsonNode n = check(python, packed, plain);
    assertTrue(n.path("eod").isNull(), n.toString());
    assertEquals(0, n.path("eod_appended").asLong());
    assertEquals(c.path("sequences"), n.path("sequences"));
    assertEquals(
        c.path("tokens").asLong() - c.path("eod_appended").asLong(), n.path("tokens").asLong());
    assertTrue(manifest(plain).path("eod").isMissingNode(), "no eod in the manifest");

    // int32 in three pairs, with an EOD id that some spans already end with (the last id of row
    // 0's first span): those get none appended, the others one.
    int endId = lastIdOfFirstSpan();
    Path wide = tmp.resolve("int32");
    r =
        export(
            packed.toString(),
            wide.toString(),
            "--dtype",
            "int32",
            "--partitions",
            "3",
            "--append-eod",
            Integer.toString(endId));
    assertEquals(0, r.code(), r.out() + r.err());
    JsonNode w = check(python, packed, wide);
    assertEquals("int32", w.path("dtype").asText());
    assertEquals(3, w.path("files").asInt());
    assertEquals(endId, w.path("eod").asInt());
    assertTrue(w.path("eod_appended").asLong() < w.path("sequences").asLong(), w.toString());
    assertEquals(w.path("sequences").asLong(), w.path("sequences_ending_with_eod").asLong());
    assertTrue(
        manifest(wide).path("eod_rule").asText().contains("the tokenizer's EOS '</s>' is 2"),
        manifest(wide).toString());
    assertFalse(manifest(auto).path("fingerprint").equals(manifest(plain).path("fingerprint")));
  }

  private static int lastIdOfFirstSpan() {
    Row r =
        LocalSpark.get()
            .read()
            .parquet(SmallRun.root().resolve("packed").toString())
            .where("row = 0")
            .selectExpr("element_at(input_ids, spans[0].length)")
            .first();
    return r.getInt(0);
  }

  /**
   * The EOS id is found through the input's manifests; when they no longer lead to the tokenizer,
   * the default stops before Spark starts asking for the id, and an id given is used unchecked
   * against a vocabulary, the auto dtype accounting for it.
   */
  @Test
  void withoutTheTokenizerTheEodIdMustBeGiven() throws Exception {
    Path packed = SmallRun.root().resolve("packed");
    Path moved = tmp.resolve("moved");
    Files.createDirectories(moved);
    try (Stream<Path> s = Files.list(packed)) {
      for (Path p : s.toList()) {
        if (!p.getFileName().toString().startsWith(".")) { // Hadoop's .crc: the manifest changes
          Files.copy(p, moved.resolve(p.getFileName()));
        }
      }
    }
    JsonNode m = manifest(packed);
    ((com.fasterxml.jackson.databind.node.ObjectNode) m)
        .put("input", tmp.resolve("gone/tokenized").toString());
    Files.writeString(moved.resolve("_manifest.json"), Manifests.JSON.writeValueAsString(m));

    Path out = tmp.resolve("eod-out");
    TokenizeFixtures.Run r = export(moved.toString(), out.toString());
    assertEquals(ExitCode.INVALID_SETTINGS, r.code(), r.out() + r.err());
    assertTrue(
        r.err()
            .contains(
                "--append-eod = 'eos': needs the EOS id of the input's tokenizer, but its tokenized"
                    + " input "
                    + tmp.resolve("gone/tokenized")
                    + " has no complete tokenize manifest"),
        r.err());
    assertFalse(Files.exists(out), "nothing ran");

    // An id beyond uint16: auto picks int32 for it although every data id fits uint16.
    r = export(moved.toString(), out.toString(), "--append-eod", "70000", "--partitions", "2");
    assertEquals(0, r.code(), r.out() + r.err());
    JsonNode e = manifest(out);
    assertEquals("int32", e.path("dtype").asText());
    assertTrue(e.path("dtype_rule").asText().endsWith("the EOD id 70000 is larger"), e.toString());
    assertTrue(e.path("eod_rule").asText().contains("vocabulary not checked"), e.toString());
    assertEquals(70000, e.path("eod").asInt());
    Path python = PythonTools.require("longmix", "pyarrow", "numpy");
    JsonNode c = check(python, moved, out);
    assertEquals(c.path("sequences").asLong(), c.path("eod_appended").asLong());
  }

  /**
   * A best-fit packing (rows padded at their ends, items longer than a row cut into parts that are
   * rarely adjacent) of cut-4k pieces: padding is left out, and pieces and parts that do not follow
   * what they continue begin documents of their own.
   */
  @Test
  void bestFitRowsLeaveThePaddingOut() throws Exception {
    Path python = PythonTools.require("longmix", "pyarrow", "numpy");
    Path root = SmallRun.root();
    Path packed = tmp.resolve("best-fit");
    TokenizeFixtures.Run p =
        TokenizeFixtures.cli(
            "pack",
            "--input",
            root.resolve("tokenized").toString(),
            "--histogram",
            root.resolve("histogram").toString(),
            "--output",
            packed.toString(),
            "--strategy",
            "cut-4k",
            "--budget-fraction",
            "0.3",
            "--seq-len",
            "2048",
            "--packing",
            "best-fit",
            "--tail",
            "pad",
            "--master",
            "local[2]",
            "--progress-interval",
            "0");
    assertEquals(0, p.code(), p.out() + p.err());
    Path out = tmp.resolve("megatron");
    TokenizeFixtures.Run r = export(packed.toString(), out.toString(), "--partitions", "2");
    assertEquals(0, r.code(), r.out() + r.err());
    JsonNode c = check(python, packed, out);
    assertEquals(2, c.path("files").asInt());
    assertTrue(c.path("padding_left_out").asLong() > 0, c.toString());
    assertTrue(c.path("documents_beginning_mid_item").asLong() > 0, c.toString());
  }

  /** The same bytes after tasks that failed mid-file and were retried, on another master. */
  @Test
  void retriedTasksWriteTheSameBytes() throws Exception {
    Path packed = SmallRun.root().resolve("packed");
    Path clean = tmp.resolve("clean");
    TokenizeFixtures.Run a =
        export(packed.toString(), clean.toString(), "--partitions", "3", "--master", "local[1]");
    assertEquals(0, a.code(), a.out() + a.err());
    Path retried = tmp.resolve("retried");
    TokenizeFixtures.Run b =
        export(
            packed.toString(),
            retried.toString(),
            "--partitions",
            "3",
            "--master",
            "local[2,4]",
            "--conf",
            FailureInjection.KEY + "=export:0,export:2");
    assertEquals(0, b.code(), b.out() + b.err());
    for (String f :
        List.of("part-00000.bin", "part-00000.idx", "part-00001.bin", "part-00002.idx")) {
      assertArrayEquals(
          Files.readAllBytes(clean.resolve(f)), Files.readAllBytes(retried.resolve(f)), f);
    }
    assertEquals(manifest(clean).path("files"), manifest(retried).path("files"));
  }

  @Test
  void whatIsNotACompletePackedOutputIsRefusedBeforeSpark() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("not-packed"));
    Path missing = tmp.resolve("nowhere");
    Path tokenized = SmallRun.root().resolve("tokenized");
    Path packed = SmallRun.root().resolve("packed");
    for (Path in : List.of(empty, missing, tokenized)) {
      Path out = tmp.resolve("x");
      TokenizeFixtures.Run r = export(in.toString(), out.toString());
      assertEquals(ExitCode.INVALID_SETTINGS, r.code(), r.out() + r.err());
      assertTrue(
          r.err().contains("longmix export: invalid setting: --input = '" + in + "'"), r.err());
      assertTrue(
          r.err()
              .contains(
                  in == tokenized
                      ? "is the output of longmix tokenize, not of pack"
                      : "has no complete _manifest.json; point it at the output of longmix pack"),
          r.err());
      assertFalse(Files.exists(out), "nothing ran");
    }
    // A complete manifest over a directory whose data files are gone.
    Path hollow = Files.createDirectories(tmp.resolve("hollow"));
    Files.copy(packed.resolve("_manifest.json"), hollow.resolve("_manifest.json"));
    TokenizeFixtures.Run h = export(hollow.toString(), tmp.resolve("y").toString());
    assertEquals(ExitCode.INVALID_SETTINGS, h.code(), h.err());
    assertTrue(h.err().contains("holds no data files, but its manifest says"), h.err());
    // Output inside the input: preparing it would delete the input.
    TokenizeFixtures.Run o = export(packed.toString(), packed.resolve("megatron").toString());
    assertEquals(ExitCode.INVALID_SETTINGS, o.code(), o.err());
    assertTrue(o.err().contains("overlaps --input"), o.err());
    TokenizeFixtures.Run f =
        export(packed.toString(), tmp.resolve("z").toString(), "--format", "x");
    assertEquals(ExitCode.INVALID_SETTINGS, f.code(), f.err());
  }

  /** A copy of the small run's packed rows with {@code column} replaced by {@code sql}. */
  private Path changedCopy(String name, String column, String sql) throws IOException {
    Path packed = SmallRun.root().resolve("packed");
    Path copy = tmp.resolve(name);
    Dataset<Row> rows = LocalSpark.get().read().parquet(packed.toString());
    rows.withColumn(column, expr(sql))
        .select("row", "input_ids", "spans", "n_tokens", "pad_tokens")
        .write()
        .mode(SaveMode.ErrorIfExists)
        .parquet(copy.toString());
    Files.copy(packed.resolve("_manifest.json"), copy.resolve("_manifest.json"));
    return copy;
  }

  private static long firstRowWithSpans(int n) {
    return LocalSpark.get()
        .read()
        .parquet(SmallRun.root().resolve("packed").toString())
        .where("size(spans) >= " + n)
        .selectExpr("min(row)")
        .first()
        .getLong(0);
  }

  @Test
  void aRowWhoseSpansDoNotTileItIsNamedAndNothingIsMarkedDone() throws Exception {
    long row = firstRowWithSpans(2);
    Path copy =
        changedCopy(
            "untiled",
            "spans",
            "IF(row = "
                + row
                + ", transform(spans, (s, i) -> IF(i = 0, named_struct('start', s.start, 'length',"
                + " s.length - 1, 'domain', s.domain, 'doc_id', s.doc_id, 'piece', s.piece,"
                + " 'copy', s.copy, 'from_token', s.from_token, 'continuation', s.continuation),"
                + " s)), spans)");
    Path out = tmp.resolve("bad");
    TokenizeFixtures.Run r = export(copy.toString(), out.toString());
    assertEquals(ExitCode.FAILED, r.code(), r.out() + r.err());
    assertTrue(
        r.err()
            .contains(
                "cause: "
                    + dev.longmix.common.export.SpanTiling.BrokenRowException.class.getName()
                    + ": packed row "
                    + row
                    + ": its spans do not tile it: span 1 covers"),
        r.err().lines().limit(3).toList().toString());
    assertFalse(Files.exists(out.resolve("_manifest.json")), "a failed export is not complete");
  }

  @Test
  void rowsChangedAfterPackFailTheDigestCheck() throws Exception {
    long row = firstRowWithSpans(1);
    Path copy =
        changedCopy(
            "edited",
            "input_ids",
            "IF(row = "
                + row
                + ", transform(input_ids, (x, i) -> IF(i = 1, x + 1, x)), input_ids)");
    Path out = tmp.resolve("edited-out");
    TokenizeFixtures.Run r = export(copy.toString(), out.toString());
    assertEquals(ExitCode.FAILED, r.code(), r.out() + r.err());
    assertTrue(
        r.err().contains("have content digest"), r.err().lines().limit(3).toList().toString());
    assertTrue(r.err().contains("its files changed after pack wrote them"), r.err());
    assertFalse(Files.exists(out.resolve("_manifest.json")));
  }

  @Test
  void helpSaysWhatItWrites() {
    TokenizeFixtures.Run r = TokenizeFixtures.cli("export", "--help");
    assertEquals(0, r.code());
    for (String s :
        List.of(
            "usage: longmix export",
            "--input DIR",
            "--format NAME",
            "--dtype auto|uint16|int32",
            "--partitions N",
            "--append-eod eos|ID|none",
            "MMIDIDX",
            "one sequence per",
            "EOD")) {
      assertTrue(r.out().contains(s), s + " not in:\n" + r.out());
    }
  }

  /** From s3a:// to s3a:// (s3proxy): the same bytes as from and to local disk. */
  @Test
  void s3aInAndOutGiveTheLocalBytes() throws Exception {
    Path packed = SmallRun.root().resolve("packed");
    try (S3Proxy proxy = S3Proxy.start(tmp)) {
      S3Settings s3 = new S3Settings(proxy.endpoint(), S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY);
      s3.createBucket("export-test");
      org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path("s3a://export-test/packed");
      FileSystem fs = remote.getFileSystem(s3.hadoop());
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(packed.toUri()), remote);
      List<String> args = new ArrayList<>(List.of("--partitions", "2"));
      args.addAll(s3.confArgs());
      TokenizeFixtures.Run r =
          export(remote.toString(), "s3a://export-test/megatron", args.toArray(String[]::new));
      assertEquals(0, r.code(), r.out() + r.err());
      Path local = tmp.resolve("local");
      TokenizeFixtures.Run l = export(packed.toString(), local.toString(), "--partitions", "2");
      assertEquals(0, l.code(), l.out() + l.err());
      Path back = tmp.resolve("back");
      fs.copyToLocalFile(
          false,
          new org.apache.hadoop.fs.Path("s3a://export-test/megatron"),
          new org.apache.hadoop.fs.Path(back.toUri()),
          true);
      for (String f :
          List.of("part-00000.bin", "part-00000.idx", "part-00001.bin", "part-00001.idx")) {
        assertArrayEquals(
            Files.readAllBytes(local.resolve(f)), Files.readAllBytes(back.resolve(f)), f);
      }
      JsonNode m = manifest(back);
      assertTrue(m.path("complete").asBoolean());
      assertEquals(manifest(local).path("files"), m.path("files"));
      assertFalse(
          Files.readString(back.resolve("_manifest.json")).contains(S3Proxy.SECRET_KEY),
          "no credential in the manifest");
    }
  }
}
