package dev.longmix.jobs.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.demo.SampleCorpus;
import dev.longmix.jobs.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid setting of every command exits 2 before Spark starts (no SparkContext is created:
 * {@link SparkStarts} would count it), and the message names the key, the value and the rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReliabilityConfigTest {
  static Path tmp;
  static String corpus;
  static String tokenized;
  static String histogram;
  static String foreign;
  static String tokenizer;
  static String reused;
  static String tokenizedOnly;

  @BeforeAll
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void fixture() throws Exception {
    tmp = Files.createTempDirectory("longmix-config");
    Path c = tmp.resolve("corpus");
    SampleCorpus.write(c, 3L, SampleCorpus.Scale.TINY);
    corpus = c.toString();
    tokenizer = TestData.defaultTokenizer().toString();
    Path root = tmp.resolve("root");
    Pipeline.Run r = Pipeline.cli(Pipeline.runArgs(c, root, "local[2]"));
    assertEquals(0, r.code(), r.all());
    tokenized = root.resolve("tokenized").toString();
    histogram = root.resolve("histogram").toString();
    reused = root.toString();
    // A run whose tokenize output is complete but whose histogram was never made.
    Path only = tmp.resolve("tokenized-only");
    try (Stream<Path> files = Files.walk(root.resolve("tokenized"))) {
      for (Path p : files.toList()) {
        Path to = only.resolve(root.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    tokenizedOnly = only.toString();
    Path f = tmp.resolve("foreign");
    Files.createDirectories(f.resolve("tokenized"));
    Files.writeString(f.resolve("notes.txt"), "someone else's data");
    Files.writeString(f.resolve("tokenized/notes.txt"), "someone else's data");
    foreign = f.toString();
    Pipeline.stopSessions();
  }

  @AfterAll
  void stop() {
    Pipeline.stopSessions();
  }

  static String out(String name) {
    return tmp.resolve("never").resolve(name).toString();
  }

  static List<String> tokenize(String... extra) {
    List<String> l =
        new ArrayList<>(List.of("tokenize", "--input", corpus, "--tokenizer", tokenizer));
    l.addAll(List.of(extra));
    if (!l.contains("--output")) {
      l.addAll(List.of("--output", out("tokenize")));
    }
    return l;
  }

  static List<String> histogramCmd(String... extra) {
    List<String> l = new ArrayList<>(List.of("histogram"));
    l.addAll(List.of(extra));
    if (!l.contains("--input")) {
      l.addAll(List.of("--input", tokenized));
    }
    if (!l.contains("--output")) {
      l.addAll(List.of("--output", out("histogram")));
    }
    return l;
  }

  static List<String> plan(String... extra) {
    List<String> l = new ArrayList<>(List.of("plan"));
    l.addAll(List.of(extra));
    if (!l.contains("--histogram")) {
      l.addAll(List.of("--histogram", histogram));
    }
    if (!l.contains("--strategy")) {
      l.addAll(List.of("--strategy", "per-source"));
    }
    if (!l.contains("--budget-tokens") && !l.contains("--budget-fraction")) {
      l.addAll(List.of("--budget-fraction", "0.5"));
    }
    if (!l.contains("--infeasible")) {
      // Half the tiny corpus is beyond the keep rule for some domains; these cases test settings.
      l.addAll(List.of("--infeasible", "fill-short"));
    }
    return l;
  }

  static List<String> pack(String... extra) {
    List<String> l = plan(extra);
    l.set(0, "pack");
    l.addAll(List.of("--input", tokenized));
    if (!l.contains("--output")) {
      l.addAll(List.of("--output", out("pack")));
    }
    return l;
  }

  static List<String> run(String... extra) {
    List<String> l = new ArrayList<>(List.of("run", "--tokenizer", tokenizer));
    l.addAll(List.of(extra));
    if (!l.contains("--input")) {
      l.addAll(List.of("--input", corpus));
    }
    if (!l.contains("--output")) {
      l.addAll(List.of("--output", out("run")));
    }
    if (!l.contains("--strategy")) {
      l.addAll(List.of("--strategy", "per-source"));
    }
    if (!l.contains("--budget-tokens") && !l.contains("--budget-fraction")) {
      l.addAll(List.of("--budget-fraction", "0.5"));
    }
    if (!l.contains("--infeasible")) {
      // Half the tiny corpus is beyond the keep rule for some domains; these cases test settings.
      l.addAll(List.of("--infeasible", "fill-short"));
    }
    return l;
  }

  static List<String> export(String... extra) {
    List<String> l = new ArrayList<>(List.of("export"));
    l.addAll(List.of(extra));
    if (!l.contains("--input")) {
      l.addAll(List.of("--input", reused + "/packed"));
    }
    if (!l.contains("--output")) {
      l.addAll(List.of("--output", out("export")));
    }
    if (!l.contains("--format")) {
      l.addAll(List.of("--format", "megatron"));
    }
    return l;
  }

  /** (what the case is, the command line, the key and the value the message must name). */
  static Stream<Arguments> cases() {
    String absent = "/nonexistent/longmix-absent";
    return Stream.of(
        // tokenize
        Arguments.of("unknown key", tokenize("--bogus", "1"), "--bogus", "1"),
        Arguments.of(
            "wrong type",
            tokenize("--max-reject-fraction", "lots"),
            "--max-reject-fraction",
            "lots"),
        Arguments.of(
            "out of range", tokenize("--max-reject-fraction", "2"), "--max-reject-fraction", "2"),
        Arguments.of(
            "bad choice", tokenize("--special-tokens", "eos-bos"), "--special-tokens", "eos-bos"),
        Arguments.of("missing input", tokenize("--input", absent), "--input", absent),
        Arguments.of("existing output", tokenize("--output", foreign), "--output", foreign),
        // histogram
        Arguments.of("unknown key", histogramCmd("--bogus", "1"), "--bogus", "1"),
        Arguments.of(
            "wrong type", histogramCmd("--long-threshold", "long"), "--long-threshold", "long"),
        Arguments.of(
            "out of range", histogramCmd("--long-threshold", "-5"), "--long-threshold", "-5"),
        Arguments.of("missing input", histogramCmd("--input", absent), "--input", absent),
        Arguments.of("existing output", histogramCmd("--output", foreign), "--output", foreign),
        // plan
        Arguments.of("unknown key", plan("--bogus", "1"), "--bogus", "1"),
        Arguments.of("wrong type", plan("--budget-tokens", "many"), "--budget-tokens", "many"),
        Arguments.of("out of range", plan("--keep-rate", "1.5"), "--keep-rate", "1.5"),
        Arguments.of("missing input", plan("--histogram", absent), "--histogram", absent),
        Arguments.of(
            "shares not summing to 1",
            plan("--domain-shares", "RedPajamaC4=0.5, RedPajamaBook=0.4"),
            "--domain-shares",
            "'RedPajamaC4=0.5, RedPajamaBook=0.4': shares must sum to 1"),
        Arguments.of(
            "unknown domain in weights",
            plan("--domain-shares", "RedPajamaC4=0.5,Nope=0.5"),
            "--domain-shares",
            "Nope"),
        // pack
        Arguments.of("unknown key", pack("--bogus", "1"), "--bogus", "1"),
        Arguments.of("wrong type", pack("--seq-len", "long"), "--seq-len", "long"),
        Arguments.of("out of range", pack("--seq-len", "0"), "--seq-len", "0"),
        Arguments.of("unknown packing", pack("--packing", "first-fit"), "--packing", "first-fit"),
        Arguments.of("missing histogram", pack("--histogram", absent), "--histogram", absent),
        Arguments.of(
            "shares not summing to 1",
            pack("--domain-shares", "RedPajamaC4=0.5,RedPajamaBook=0.4"),
            "--domain-shares",
            "'RedPajamaC4=0.5,RedPajamaBook=0.4': shares must sum to 1"),
        Arguments.of(
            "unknown domain in weights",
            pack("--domain-shares", "RedPajamaC4=0.5,Nope=0.5"),
            "--domain-shares",
            "Nope"),
        Arguments.of("existing output", pack("--output", foreign), "--output", foreign),
        // run
        Arguments.of("unknown key", run("--bogus", "1"), "--bogus", "1"),
        Arguments.of("wrong type", run("--seq-len", "long"), "--seq-len", "long"),
        Arguments.of("unknown packing", run("--packing", "ffd"), "--packing", "ffd"),
        Arguments.of(
            "out of range", run("--max-reject-fraction", "2"), "--max-reject-fraction", "2"),
        Arguments.of("missing input", run("--input", absent), "--input", absent),
        Arguments.of("missing strategy", run("--strategy", "fastest"), "--strategy", "fastest"),
        Arguments.of(
            "existing output", run("--output", foreign), "--output", foreign + "/tokenized"),
        Arguments.of(
            "shares not summing to 1",
            run("--domain-shares", "RedPajamaC4=0.5,RedPajamaBook=0.4"),
            "--domain-shares",
            "'RedPajamaC4=0.5,RedPajamaBook=0.4': shares must sum to 1"),
        Arguments.of(
            "unknown domain in weights (--domains given)",
            run(
                "--domains",
                "RedPajamaC4,RedPajamaBook",
                "--domain-shares",
                "RedPajamaC4=0.5,Nope=0.5"),
            "--domain-shares",
            "Nope"),
        Arguments.of(
            "a preset naming domains outside --domains",
            run("--domains", "RedPajamaC4,RedPajamaBook", "--domain-shares", "slimpajama"),
            "--domain-shares",
            "'slimpajama': names domain"),
        Arguments.of(
            "unknown domain in weights, histogram reused",
            run("--output", reused, "--domain-shares", "RedPajamaC4=0.5,Nope=0.5"),
            "--domain-shares",
            "'RedPajamaC4=0.5,Nope=0.5': names domain 'Nope', which the corpus does not have"),
        Arguments.of(
            "unknown raised domain, histogram reused",
            run(
                "--output",
                reused,
                "--strategy",
                "domain",
                "--upsample-domains",
                "RedPajamaBook,Nope"),
            "--upsample-domains",
            "'RedPajamaBook,Nope': names domain 'Nope', which the corpus does not have"),
        // export
        Arguments.of("unknown key", export("--bogus", "1"), "--bogus", "1"),
        Arguments.of("unknown format", export("--format", "parquet"), "--format", "parquet"),
        Arguments.of("unknown dtype", export("--dtype", "int8"), "--dtype", "int8"),
        Arguments.of("out of range", export("--partitions", "0"), "--partitions", "0"),
        Arguments.of("missing input", export("--input", absent), "--input", absent),
        Arguments.of("not a packed output", export("--input", tokenized), "--input", tokenized),
        Arguments.of(
            "output inside the input",
            export("--output", reused + "/packed/megatron"),
            "--output",
            "overlaps --input"),
        Arguments.of("existing output", export("--output", foreign), "--output", foreign),
        Arguments.of("EOD not an id", export("--append-eod", "eod"), "--append-eod", "eod"),
        Arguments.of("negative EOD", export("--append-eod", "-1"), "--append-eod", "-1"),
        Arguments.of(
            "EOD beyond the tokenizer's vocabulary",
            export("--append-eod", "32000"),
            "--append-eod",
            "'32000': is not an id of the input's tokenizer"),
        Arguments.of(
            "EOD beyond --dtype uint16",
            export("--append-eod", "65536", "--dtype", "uint16"),
            "--append-eod",
            "'65536': id 65536 does not fit --dtype uint16"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void exitsTwoBeforeSparkStartsNamingKeyValueAndRule(
      String what, List<String> args, String key, String value) {
    List<String> a = new ArrayList<>(args);
    a.addAll(List.of("--conf", "spark.extraListeners=" + SparkStarts.class.getName()));
    SparkStarts.COUNT.set(0);
    Pipeline.Run r = Pipeline.cli(a);
    assertEquals(2, r.code(), what + " " + a + "\n" + r.all());
    assertEquals(0, SparkStarts.COUNT.get(), what + ": a SparkContext was started\n" + r.all());
    assertTrue(Pipeline.noSession(), what + ": no SparkSession");
    String line = r.err().lines().filter(l -> l.contains("invalid setting")).findFirst().orElse("");
    assertTrue(line.startsWith("longmix " + a.get(0) + ": invalid setting: "), r.all());
    assertTrue(line.contains(key), what + ": names " + key + ": " + line);
    assertTrue(line.contains(value), what + ": names " + value + ": " + line);
    assertTrue(line.length() > line.indexOf(value) + value.length() + 5, "states a rule: " + line);
    assertFalse(Files.exists(tmp.resolve("never")), what + ": nothing written");
  }

  /**
   * The one documented exception: without --domains, run learns the corpus's domains from its
   * histogram, so an unknown name in --domain-shares exits 2 after tokenize and histogram ran
   * (their outputs are complete and kept; nothing is packed).
   */
  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void runChecksDomainNamesAgainstTheHistogramWhenDomainsAreNotGiven() throws Exception {
    Path root = tmp.resolve("late");
    Pipeline.Run r =
        Pipeline.cli(
            run("--output", root.toString(), "--domain-shares", "RedPajamaC4=0.5,Nope=0.5"));
    assertEquals(2, r.code(), r.all());
    assertTrue(r.err().contains("--domain-shares") && r.err().contains("Nope"), r.all());
    assertTrue(
        r.out().contains("note: --domain-shares names domain 'Nope', not one of SlimPajama's"),
        "a note before anything ran: " + r.all());
    assertTrue(Files.exists(root.resolve("histogram/_manifest.json")), "histogram kept");
    assertFalse(Files.exists(root.resolve("packed")), "nothing packed");
  }

  /**
   * A run that reuses a complete tokenize output knows the corpus's domains from its manifest, so
   * it checks the names before Spark starts even without --domains, and makes no histogram.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void runChecksDomainNamesAgainstAReusedTokenizeOutputBeforeSparkStarts() throws Exception {
    List<String> a =
        new ArrayList<>(
            run("--output", tokenizedOnly, "--domain-shares", "RedPajamaC4=0.5,Nope=0.5"));
    a.addAll(List.of("--conf", "spark.extraListeners=" + SparkStarts.class.getName()));
    SparkStarts.COUNT.set(0);
    Pipeline.Run r = Pipeline.cli(a);
    assertEquals(2, r.code(), r.all());
    assertEquals(0, SparkStarts.COUNT.get(), "a SparkContext was started\n" + r.all());
    assertTrue(
        r.err()
            .contains(
                "--domain-shares = 'RedPajamaC4=0.5,Nope=0.5': names domain 'Nope', which the"
                    + " corpus does not have; it has [RedPajama"),
        r.all());
    assertTrue(r.err().contains("(from " + tokenizedOnly + "/tokenized)"), r.all());
    try (Stream<Path> files = Files.list(Path.of(tokenizedOnly))) {
      assertEquals(
          List.of("tokenized"),
          files.map(p -> p.getFileName().toString()).toList(),
          "no histogram, nothing packed");
    }
  }
}
