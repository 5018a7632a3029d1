package dev.longmix.jobs.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.pack.PackOutcome;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.TestData;
import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.histogram.HistogramConfig;
import dev.longmix.jobs.histogram.HistogramJob;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.tokenize.TokenizeConfig;
import dev.longmix.jobs.tokenize.TokenizeJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The five strategies on ../shared/corpus tokenized with the LLaMA-2 tokenizer: achieved domain
 * shares against the plan, and the long share against the plan's expectation.
 */
class SharedCorpusPackTest {
  static final Path WORK = TestData.buildDir().resolve("shared-pack");
  static String tokenized;
  static String histogram;

  @BeforeAll
  static void tokenizeOnce() {
    Path shared = TestData.requireShared();
    SparkSession spark = LocalSpark.get();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    tokenized = WORK.resolve("tokenized").toString();
    histogram = WORK.resolve("histogram").toString();
    TokenizeConfig tok =
        TokenizeConfig.from(
            Settings.parse(
                TokenizeConfig.spec(),
                "--input",
                shared.resolve("corpus").toString(),
                "--output",
                tokenized,
                "--tokenizer",
                TestData.sharedTokenizer("llama2").toString(),
                "--progress-interval",
                "0"),
            conf);
    if (OutputGuard.decide(conf, "output", tokenized, tok.fingerprint(), false, true)
        == OutputGuard.Decision.WRITE) {
      TokenizeJob.run(spark, tok, PackFixtures.QUIET);
    }
    HistogramConfig h = HistogramConfig.of(tokenized, histogram, 4096, tok.fingerprint(), Map.of());
    if (OutputGuard.decide(conf, "output", histogram, h.fingerprint(), false, true)
        == OutputGuard.Decision.WRITE) {
      HistogramJob.run(spark, h, PackFixtures.QUIET);
    }
  }

  private static PackJob.Result pack(String name, String... args) {
    List<String> all =
        new ArrayList<>(
            List.of(
                "--input",
                tokenized,
                "--histogram",
                histogram,
                "--output",
                WORK.resolve("packed-" + name).toString(),
                "--overwrite",
                "--seed",
                "1",
                "--tail",
                "pad"));
    all.addAll(List.of(args));
    SparkSession spark = LocalSpark.get();
    PackConfig cfg =
        PackConfig.from(
            Settings.parse(PackConfig.spec(), all.toArray(String[]::new)),
            spark.sparkContext().hadoopConfiguration());
    PackJob.Result r = PackJob.run(spark, cfg, System.out);
    System.out.println("^ " + name);
    return r;
  }

  /**
   * Deviations beyond the brief's tolerances: each domain's achieved token share against its target
   * and against the plan, in points, and the long-token share against the plan.
   */
  private static List<String> misses(PackJob.Result r, double domainPoints, double longPoints) {
    List<String> out = new ArrayList<>();
    PackOutcome.Report report = r.manifest().report();
    for (PackOutcome.DomainOutcome d : report.domains().values()) {
      double vsTarget = 100 * (d.achievedShare() - d.targetShare());
      double vsPlan = 100 * (d.achievedShare() - d.plannedShare());
      if (Math.abs(vsTarget) > domainPoints) {
        out.add(String.format(Locale.ROOT, "%s %+.2f points vs target", d.domain(), vsTarget));
      }
      if (Math.abs(vsPlan) > domainPoints) {
        out.add(String.format(Locale.ROOT, "%s %+.2f points vs plan", d.domain(), vsPlan));
      }
    }
    double longDiff = 100 * (report.achievedLongShare() - report.plannedLongShare());
    if (Math.abs(longDiff) > longPoints) {
      out.add(String.format(Locale.ROOT, "long share %+.2f points vs plan", longDiff));
    }
    return out;
  }

  /**
   * At half the corpus, C4, CommonCrawl and StackExchange hold too few long tokens for their
   * budgets at keep rate 0.1: taken once, the keep rule cannot fill them. The default policy stops
   * before sampling (exit 4), naming each such domain with what would make it fit.
   */
  @Test
  void perSourceAtHalfTheCorpusStopsWhereTheKeepRuleCannotFill() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8);
    int code =
        dev.longmix.jobs.Main.run(
            new String[] {
              "pack",
              "--input",
              tokenized,
              "--histogram",
              histogram,
              "--output",
              WORK.resolve("packed-half-fails").toString(),
              "--strategy",
              "per-source",
              "--budget-fraction",
              "0.5",
              "--seed",
              "1"
            },
            out,
            out);
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(dev.longmix.jobs.ExitCode.INFEASIBLE_PLAN, code, printed);
    for (String d : List.of("RedPajamaC4", "RedPajamaCommonCrawl", "RedPajamaStackExchange")) {
      assertTrue(
          printed.contains("domain " + d + " needs ")
              && printed.contains("infeasible = fill-short"),
          d + " not named in: " + printed);
    }
    assertTrue(printed.contains("the keep rule cannot fill it"), printed);
    assertTrue(printed.contains("3 domain(s) differ"), printed);
    assertFalse(
        java.nio.file.Files.exists(WORK.resolve("packed-half-fails")),
        "nothing is written when the plan cannot be met");
  }

  @Test
  void perSourceWithRepetitionAtHalfTheCorpusKeepsTheKeepRule() {
    PackJob.Result r =
        pack(
            "per-source-half",
            "--strategy",
            "per-source",
            "--budget-fraction",
            "0.5",
            "--keep-rate",
            "0.1",
            "--max-copies",
            "8",
            "--infeasible",
            "repeat");
    List<String> m = misses(r, 0.5, 1.0);
    assertTrue(m.isEmpty(), "per-source at 1/2 misses: " + m);
    assertTrue(r.manifest().repetition().repeatedItems() > 0);
    // Every domain's long share, read from what was selected, within a point of p/(p + r(1−p)).
    List<String> off = new ArrayList<>();
    for (PackOutcome.DomainOutcome d : r.outcome().domains()) {
      double diff = 100 * (d.achievedLongShare() - d.formulaLongShare());
      if (Math.abs(diff) > 1.0 || !d.followsKeepRule()) {
        off.add(String.format(Locale.ROOT, "%s %+.2f points", d.domain(), diff));
      }
    }
    assertTrue(off.isEmpty(), "long shares off the keep rule: " + off);
    assertNoOrderingBias(WORK.resolve("packed-per-source-half").toString());
  }

  /**
   * The explicit policy for the old behaviour: the budget is met from short documents, the plan
   * says which domains then differ from the keep rule, and the output has the plan's shares.
   */
  @Test
  void fillShortMeetsThePlanAndSaysWhereItDiffersFromTheKeepRule() {
    PackJob.Result r =
        pack(
            "per-source-half-fill",
            "--strategy",
            "per-source",
            "--budget-fraction",
            "0.5",
            "--infeasible",
            "fill-short");
    List<String> m = misses(r, 0.5, 1.0);
    assertTrue(m.isEmpty(), "fill-short misses: " + m);
    List<String> differ = new ArrayList<>();
    List<String> off = new ArrayList<>();
    for (PackOutcome.DomainOutcome d : r.outcome().domains()) {
      if (!d.followsKeepRule()) {
        differ.add(d.domain());
        assertTrue(d.effectiveKeepRate() > d.keepRate(), d.domain());
      }
      double diff = 100 * (d.achievedLongShare() - d.plannedLongShare());
      if (Math.abs(diff) > 1.0) {
        off.add(String.format(Locale.ROOT, "%s %+.2f points", d.domain(), diff));
      }
    }
    assertEquals(List.of("RedPajamaC4", "RedPajamaCommonCrawl", "RedPajamaStackExchange"), differ);
    assertTrue(off.isEmpty(), "long shares off the plan: " + off);
    String table = String.join("\n", r.manifest().plan());
    assertTrue(table.contains("3 domain(s) differ from the keep rule"), table);
  }

  /**
   * The authors' output ended with the domains that filled slowest (their issue #15). Here the
   * packing order is a keyed shuffle of all items, so every domain's tokens sit around the middle
   * of the output on average and the first tenth of rows has the mix of the last tenth.
   */
  private static void assertNoOrderingBias(String packed) {
    List<Row> spans =
        LocalSpark.get()
            .read()
            .parquet(packed)
            .selectExpr("row", "inline(spans)")
            .select("row", "domain", "length")
            .collectAsList();
    long rows = spans.stream().mapToLong(r -> r.getLong(0)).max().orElseThrow() + 1;
    long tenth = rows / 10;
    Map<String, double[]> byDomain = new java.util.TreeMap<>(); // tokens, position sum, first, last
    double first = 0;
    double last = 0;
    double all = 0;
    for (Row r : spans) {
      long row = r.getLong(0);
      int len = r.getInt(2);
      double[] d = byDomain.computeIfAbsent(r.getString(1), k -> new double[4]);
      d[0] += len;
      d[1] += len * ((row + 0.5) / rows);
      all += len;
      if (row < tenth) {
        d[2] += len;
        first += len;
      } else if (row >= rows - tenth) {
        d[3] += len;
        last += len;
      }
    }
    for (Map.Entry<String, double[]> e : byDomain.entrySet()) {
      double[] d = e.getValue();
      if (d[0] / all < 0.05) {
        continue; // too few tokens for a stable position
      }
      double meanPosition = d[1] / d[0];
      assertTrue(
          Math.abs(meanPosition - 0.5) < 0.1,
          e.getKey() + " sits at " + meanPosition + " of the output on average, not the middle");
      double shareFirst = d[2] / first;
      double shareLast = d[3] / last;
      assertTrue(
          Math.abs(shareFirst - shareLast) < 0.15,
          String.format(
              Locale.ROOT,
              "%s: %.3f of the first tenth of rows, %.3f of the last",
              e.getKey(),
              shareFirst,
              shareLast));
    }
  }

  @Test
  void everyStrategyAtATenthAndAtHalfTheCorpus() {
    List<String> all = new ArrayList<>();
    for (String fraction : List.of("0.1", "0.5")) {
      for (String[] s :
          List.of(
              new String[] {"cut-4k"},
              new String[] {"cut-128k"},
              new String[] {"per-source"},
              new String[] {"global"},
              new String[] {
                "domain", "--upsample-domains", "RedPajamaGithub,RedPajamaArXiv,RedPajamaBook"
              },
              new String[] {
                "domain", "--upsample-domains", "RedPajamaArXiv", "--upsample-form", "target-share"
              })) {
        List<String> args = new ArrayList<>(List.of("--strategy"));
        args.addAll(List.of(s));
        // Half the corpus needs repetition for the upsampling strategies; allow it.
        args.addAll(
            List.of("--budget-fraction", fraction, "--max-copies", "8", "--infeasible", "repeat"));
        String name = String.join("-", s).replace(",", "+") + "@" + fraction;
        PackJob.Result r = pack(name, args.toArray(String[]::new));
        assertEquals(Math.round(Double.parseDouble(fraction) * 27_978_419L), r.selectedTokens());
        for (String miss : misses(r, 0.5, 1.0)) {
          all.add(name + ": " + miss);
        }
      }
    }
    assertTrue(all.isEmpty(), "misses: " + all);
  }

  /**
   * Best-fit packing changes the rows, not the plan: the same shares for every strategy at a tenth
   * of the corpus, the budget exact, and for per-source (the issue's benchmark setting) at most 1%
   * padding in 81,920-token rows, not counting the one partial row.
   */
  @Test
  void everyStrategyAtATenthUnderBestFit() {
    List<String> all = new ArrayList<>();
    for (String[] s :
        List.of(
            new String[] {"cut-4k"},
            new String[] {"cut-128k"},
            new String[] {"per-source"},
            new String[] {"global"},
            new String[] {
              "domain", "--upsample-domains", "RedPajamaGithub,RedPajamaArXiv,RedPajamaBook"
            })) {
      List<String> args = new ArrayList<>(List.of("--strategy"));
      args.addAll(List.of(s));
      args.addAll(
          List.of(
              "--budget-fraction",
              "0.1",
              "--max-copies",
              "8",
              "--infeasible",
              "repeat",
              "--packing",
              "best-fit"));
      String name = "best-fit-" + String.join("-", s).replace(",", "+");
      PackJob.Result r = pack(name, args.toArray(String[]::new));
      assertEquals(Math.round(0.1 * 27_978_419L), r.selectedTokens(), name);
      for (String miss : misses(r, 0.5, 1.0)) {
        all.add(name + ": " + miss);
      }
      if (s[0].equals("per-source")) {
        double pad = r.outcome().layout().padShareWithoutTail();
        System.out.printf(
            Locale.ROOT,
            "[best-fit] per-source at 0.1: padding %.4f%% without the partial row, %.4f%% with%n",
            100 * pad,
            100 * r.outcome().layout().padShare());
        assertTrue(pad <= 0.01, "padding " + pad);
      }
    }
    assertTrue(all.isEmpty(), "misses: " + all);
  }
}
