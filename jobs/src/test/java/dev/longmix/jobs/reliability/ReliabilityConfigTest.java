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
  static String otherTokenizer;
  static String declared;

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
    // The same tokenizer file, one byte more: another sha256.
    Path other = tmp.resolve("other-tokenizer.json");
    Files.writeString(other, Files.readString(Path.of(tokenizer)) + " ");
    otherTokenizer = other.toString();
    // A tokenized dataset whose holdout was declared (an evalset cut short) but never recorded.
    Path d = tmp.resolve("declared");
    try (Stream<Path> files = Files.walk(root.resolve("tokenized"))) {
      for (Path p : files.toList()) {
        Path to = d.resolve(root.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    Files.createDirectories(d.resolve("tokenized/_holdout"));
    Files.writeString(
        d.resolve("tokenized/_holdout/_longmix_started.json"), "{\"fingerprint\":\"x\"}");
    declared = d.resolve("tokenized").toString();
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

  static List<String> evalset(String... extra) {
    List<String> l = new ArrayList<>(List.of("evalset"));
    l.addAll(List.of(extra));
    if (!l.contains("--input")) {
      l.addAll(List.of("--input", tokenized));
    }
    if (!l.contains("--output")) {
      l.addAll(List.of("--output", out("evalset")));
    }
    if (!l.contains("--context-lengths")) {
      // The authors' 128K does not fit the tiny corpus's books; these cases test other settings.
      l.addAll(List.of("--context-lengths", "1024,4096"));
    }
    return l;
  }

  /** pack of another tokenized dataset (with the fixture's histogram, made from a copy of it). */
  static List<String> packOn(String input) {
    List<String> l = pack();
    l.set(l.lastIndexOf("--input") + 1, input);
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

  /** Tokenize with exactly these inputs (no default corpus). */
  static List<String> tokenizeNamed(String... extra) {
    List<String> l = new ArrayList<>(List.of("tokenize", "--tokenizer", tokenizer));
    l.addAll(List.of(extra));
    l.addAll(List.of("--output", out("tokenize")));
    return l;
  }

  /** (what the case is, the command line, the key and the value the message must name). */
  static Stream<Arguments> cases() {
    String absent = "/nonexistent/longmix-absent";
    String books = "books=" + corpus;
    String chunk = corpus + "/train/chunk1";
    return Stream.of(
        // named sources
        Arguments.of(
            "named and unnamed inputs mixed",
            tokenize("--input", books),
            "--input",
            "'" + corpus + "': is unnamed while other inputs are named"),
        Arguments.of(
            "two unnamed inputs",
            tokenizeNamed("--input", corpus, "--input", chunk),
            "--input",
            "'" + chunk + "': is a second unnamed input"),
        Arguments.of(
            "empty source name",
            tokenizeNamed("--input", "=" + corpus),
            "--input",
            "'=" + corpus + "': NAME=PATH with an empty name"),
        Arguments.of(
            "empty source path",
            tokenizeNamed("--input", "books="),
            "--input",
            "'books=': NAME=PATH with an empty path"),
        Arguments.of(
            "source name not a valid domain name",
            tokenizeNamed("--input", "my books=" + corpus),
            "--input",
            "source name 'my books' is not a valid domain name"),
        Arguments.of(
            "source name given twice",
            tokenizeNamed(
                "--input", books, "--input", "code=" + chunk, "--input", "books=" + chunk),
            "--input",
            "'books=" + chunk + "': names source books twice"),
        Arguments.of(
            "one file under two names",
            tokenizeNamed("--input", books, "--input", "code=" + chunk),
            "--input",
            "'code=" + chunk + "': holds "),
        Arguments.of(
            "named source that does not exist",
            tokenizeNamed("--input", "books=" + absent),
            "--input",
            "'books=" + absent + "': source books: " + absent + " does not exist"),
        Arguments.of(
            "--domain-field with named sources",
            tokenizeNamed("--input", books, "--domain-field", "meta.source"),
            "--domain-field",
            "'meta.source': applies to an unnamed --input only"),
        Arguments.of(
            "--domains without a source's name",
            tokenizeNamed("--input", books, "--domains", "code,web"),
            "--domains",
            "'code,web': does not hold source books"),
        Arguments.of(
            "source name given twice (run)",
            run("--input", books, "--input", "books=" + chunk),
            "--input",
            "names source books twice"),
        Arguments.of(
            "one file under two names (run)",
            run("--input", books, "--input", "code=" + chunk),
            "--input",
            "'code=" + chunk + "': holds "),
        // keep rates
        Arguments.of(
            "keep rate per domain out of range",
            plan("--keep-rate", "RedPajamaC4=1.5,*=0.1"),
            "--keep-rate",
            "'RedPajamaC4=1.5,*=0.1': the rate of RedPajamaC4 is 1.5"),
        Arguments.of(
            "keep rate of the rest out of range",
            pack("--keep-rate", "RedPajamaC4=0,*=-0.5"),
            "--keep-rate",
            "'RedPajamaC4=0,*=-0.5': the rate of * is -0.5"),
        Arguments.of(
            "keep rate with an empty domain name",
            plan("--keep-rate", "=0.5,*=1"),
            "--keep-rate",
            "'=0.5,*=1': entry '=0.5'"),
        Arguments.of(
            "keep rate naming a domain twice",
            pack("--keep-rate", "RedPajamaC4=0,RedPajamaC4=1"),
            "--keep-rate",
            "'RedPajamaC4=0,RedPajamaC4=1': names domain"),
        Arguments.of(
            "keep rate for an unknown domain",
            plan("--keep-rate", "Nope=0,*=1"),
            "--keep-rate",
            "'Nope=0.0': the histogram has no domain Nope"),
        Arguments.of(
            "keep rate for an unknown domain (pack)",
            pack("--keep-rate", "Nope=0,*=1"),
            "--keep-rate",
            "'Nope=0.0': the histogram has no domain Nope"),
        Arguments.of(
            "keep rates per domain with a target long share",
            plan("--keep-rate", "RedPajamaC4=0,*=1", "--target-long-share", "0.7"),
            "--keep-rate",
            "'RedPajamaC4=0,*=1': give rates per domain or --target-long-share"),
        Arguments.of(
            "keep rates per domain with a cut strategy",
            pack("--strategy", "cut-4k", "--keep-rate", "RedPajamaC4=0,*=1"),
            "--keep-rate",
            "rates per domain apply only to the per-source, global and domain strategies"),
        Arguments.of(
            "keep rate out of range (run)",
            run("--keep-rate", "*=2"),
            "--keep-rate",
            "'*=2': the rate of * is 2"),
        Arguments.of(
            "keep rate for a domain no named source has",
            run("--input", books, "--keep-rate", "books=0,nope=1"),
            "--keep-rate",
            "'books=0,nope=1': names domain 'nope', which the corpus does not have; it has [books]"),
        Arguments.of(
            "keep rate for an unknown domain, histogram reused",
            run("--output", reused, "--keep-rate", "Nope=0,*=1"),
            "--keep-rate",
            "'Nope=0,*=1': names domain 'Nope', which the corpus does not have"),
        Arguments.of(
            "keep rate for a domain outside --domains",
            run("--domains", "RedPajamaC4,RedPajamaBook", "--keep-rate", "RedPajamaGithub=0"),
            "--keep-rate",
            "names domain 'RedPajamaGithub', which is not in --domains"),
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
        Arguments.of(
            "unknown packing",
            pack("--packing", "first-fit"),
            "--packing",
            "'first-fit': must be one of concat"),
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
        Arguments.of(
            "a declared holdout whose record is not complete",
            packOn(declared),
            "--input",
            declared + "': declares a holdout"),
        Arguments.of("flag with a value", pack("--no-holdout=maybe"), "--no-holdout", "'maybe'"),
        // evalset
        Arguments.of("unknown key", evalset("--bogus", "1"), "--bogus", "1"),
        Arguments.of("fraction 0", evalset("--holdout-fraction", "0"), "--holdout-fraction", "'0'"),
        Arguments.of("fraction 1", evalset("--holdout-fraction", "1"), "--holdout-fraction", "'1'"),
        Arguments.of(
            "fraction above 1",
            evalset("--holdout-fraction", "1.5"),
            "--holdout-fraction",
            "'1.5': must be a number strictly between"),
        Arguments.of(
            "fraction not a number",
            evalset("--holdout-fraction", "half"),
            "--holdout-fraction",
            "half"),
        Arguments.of(
            "depth above 100",
            evalset("--depths", "0,50,101"),
            "--depths",
            "'0,50,101': every depth must be a percentage in [0, 100]"),
        Arguments.of("depth below 0", evalset("--depths", "-5"), "--depths", "-5"),
        Arguments.of(
            "unknown haystack domain",
            evalset("--haystack-domains", "RedPajamaBook,Nope"),
            "--haystack-domains",
            "names domain 'Nope', which " + tokenized + " does not have"),
        Arguments.of(
            "unknown validation domain",
            evalset("--eval-domains", "Nope"),
            "--eval-domains",
            "Nope"),
        Arguments.of(
            "a longest context beyond every document of the haystack domains",
            evalset("--context-lengths", "1000,5000000"),
            "--context-lengths",
            "'1000,5000000': the longest, 5000000 tokens, needs"),
        Arguments.of(
            "a context with no room for haystack",
            evalset("--context-lengths", "20,4000"),
            "--context-lengths",
            "'20,4000': the shortest"),
        Arguments.of(
            "another tokenizer",
            evalset("--tokenizer", otherTokenizer),
            "--tokenizer",
            otherTokenizer + "': has sha256"),
        Arguments.of(
            "zero tokens per cell", evalset("--tokens-per-cell", "0"), "--tokens-per-cell", "0"),
        Arguments.of(
            "bad length classes", evalset("--length-classes", "table6"), "--length-classes", "6"),
        Arguments.of(
            "an answer without a word", evalset("--answer", "?!"), "--answer", "must contain"),
        Arguments.of(
            "a question prompt without the question",
            evalset("--question-prompt", "Answer:"),
            "--question-prompt",
            "{question}"),
        Arguments.of("missing input", evalset("--input", absent), "--input", absent),
        Arguments.of("existing output", evalset("--output", foreign), "--output", foreign),
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
            "holdout fraction out of range",
            run("--holdout-fraction", "1"),
            "--holdout-fraction",
            "'1'"),
        Arguments.of(
            "depth out of range",
            run("--holdout-fraction", "0.1", "--depths", "200"),
            "--depths",
            "200"),
        Arguments.of(
            "an eval split and a holdout at once",
            run("--holdout-fraction", "0.1", "--eval-input", corpus),
            "--eval-input",
            corpus + "': the eval pool is either"),
        Arguments.of(
            "unknown haystack domain, histogram reused",
            run("--output", reused, "--holdout-fraction", "0.1", "--haystack-domains", "Nope"),
            "--haystack-domains",
            "'Nope': names domain 'Nope', which the corpus does not have"),
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
