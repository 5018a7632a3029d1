package dev.longmix.jobs;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.plan.DomainShares;
import dev.longmix.common.plan.InfeasiblePlanException;
import dev.longmix.common.plan.Plan;
import dev.longmix.common.plan.PlanConfig;
import dev.longmix.jobs.cli.CommandSpec;
import dev.longmix.jobs.cli.Option;
import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.histogram.HistogramConfig;
import dev.longmix.jobs.histogram.HistogramFiles;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.manifest.TokenizeManifest;
import dev.longmix.jobs.pack.PackConfig;
import dev.longmix.jobs.pack.PlanOptions;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.tokenize.CorpusInput;
import dev.longmix.jobs.tokenize.TokenizeConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code longmix run}: tokenize → histogram → pack in one SparkSession, each stage skipped when its
 * complete output for the same fingerprint exists.
 */
final class RunCommand {
  /** The stages' folders below ROOT. */
  static final String TOKENIZED = "tokenized";

  static final String HISTOGRAM = "histogram";
  static final String PACKED = "packed";

  private RunCommand() {}

  static CommandSpec spec() {
    List<Option> o = new ArrayList<>();
    for (Option t : TokenizeConfig.OPTIONS) {
      o.add(
          t.key().equals("output")
              ? Option.required(
                  "output", "ROOT", "ROOT/tokenized, ROOT/histogram and ROOT/packed go here")
              : t);
    }
    o.add(HistogramConfig.LONG_THRESHOLD_OPTION);
    o.addAll(PackConfig.packingOptions());
    o.addAll(PlanOptions.OPTIONS);
    return new CommandSpec(
        "run",
        "The whole pipeline: tokenize, histogram, pack, in one Spark session.",
        """
        Each stage is skipped when its output is complete for the same inputs and settings, so
        changing only the strategy reruns only pack. --budget-fraction is resolved against the
        corpus's tokens once the histogram exists.

        Named sources (--input NAME=PATH, repeated) are the corpus's domains. The domains named
        in --domain-shares, --upsample-domains and --keep-rate are checked before Spark starts:
        against the corpus's own when ROOT/histogram or ROOT/tokenized is reused, against the
        source names when the sources are named, else against --domains when it is given.
        Otherwise (a first run of an unnamed corpus without --domains, where any name is a
        domain) they can be checked only once the histogram exists: still exit 2, after tokenize
        and histogram ran (their outputs are kept), with a note at the start for a name that is
        not one of SlimPajama's seven.
        """,
        o);
  }

  static int run(Settings s, PrintStream out) {
    Configuration hadoop = HadoopConf.fromSparkConf(s.sparkConf());
    String root = s.string("output");
    TokenizeConfig tok = TokenizeConfig.from(s, hadoop).withOutput(root + "/" + TOKENIZED);
    HistogramConfig hist =
        HistogramConfig.of(
            tok.output(),
            root + "/" + HISTOGRAM,
            s.nonNegativeLong(HistogramConfig.LONG_THRESHOLD),
            tok.fingerprint(),
            s.resolved());
    String packed = root + "/" + PACKED;
    PackConfig.precheck(s);
    Stage<?> tokenize = TokenizeCommand.stage(tok);
    Stage<?> histogram = HistogramCommand.stage(hist, tok.progressSeconds());
    // Decided before Spark starts, so an output that must not be replaced stops the run at once.
    boolean skipTokenize = StageRunner.upToDate(tokenize, s, out);
    boolean skipHistogram = StageRunner.upToDate(histogram, s, out);
    CorpusDomains known =
        skipHistogram
            ? corpusDomains(hist.output(), HistogramFiles.read(hadoop, "histogram", hist.output()))
            : skipTokenize ? corpusDomains(tok.output(), hadoop) : corpusDomains(tok.inputs());
    checkDomainsNamed(s, known, out);
    // The pack fingerprint needs the histogram; until it exists, refuse at least foreign data.
    OutputGuard.precheck(hadoop, "output", packed, s.flag("overwrite"));

    return StageRunner.inSession(
        "longmix run",
        s,
        List.of(tok.output(), hist.output(), packed),
        spark -> {
          if (!skipTokenize) {
            int code = StageRunner.run(spark, tokenize, out);
            if (code != ExitCode.OK) {
              return code;
            }
          }
          if (!skipHistogram) {
            StageRunner.run(spark, histogram, out);
          }
          PackConfig pack;
          try {
            pack =
                PackConfig.of(
                    s,
                    hadoop,
                    tok.output(),
                    hist.output(),
                    packed,
                    Manifests.read(hadoop, tok.output(), TokenizeManifest.class).orElseThrow(),
                    PackConfig.packing(s));
          } catch (InfeasiblePlanException e) {
            return PlanCommand.infeasible(e, out);
          }
          out.print(pack.plan().toTable(pack.packing().seqLen(), Plan.BATCH_TOKENS_DEFAULT));
          if (pack.dryRun()) {
            return ExitCode.OK;
          }
          Stage<?> packStage = PackCommand.stage(pack);
          if (!StageRunner.upToDate(packStage, s, out)) {
            StageRunner.run(spark, packStage, out);
          }
          out.println("[run] done: " + packed);
          return ExitCode.OK;
        });
  }

  /** The domains of a histogram this run reuses, and where they come from. */
  static CorpusDomains corpusDomains(String dir, HistogramFiles.Loaded h) {
    return new CorpusDomains(new TreeSet<>(h.fig2().domains()), dir);
  }

  /**
   * The domains in the manifest of a tokenized dataset this run reuses, and where they come from;
   * null when the manifest does not list them.
   */
  static CorpusDomains corpusDomains(String dir, Configuration hadoop) {
    Map<String, TokenizeManifest.DomainCounts> domains =
        Manifests.read(hadoop, dir, TokenizeManifest.class).orElseThrow().body().domains();
    return domains == null ? null : new CorpusDomains(new TreeSet<>(domains.keySet()), dir);
  }

  /** The names of named sources, which are the corpus's domains; null for an unnamed corpus. */
  static CorpusDomains corpusDomains(List<CorpusInput> inputs) {
    if (!inputs.get(0).named()) {
      return null;
    }
    Set<String> names = new TreeSet<>();
    inputs.forEach(in -> names.add(in.name()));
    return new CorpusDomains(names, "the named --input sources");
  }

  /**
   * The corpus's domains, known before Spark starts when an earlier run's output is reused or the
   * sources are named.
   */
  record CorpusDomains(Set<String> names, String from) {}

  /**
   * Checks the domains that --domain-shares (those with a share above 0, as the planner does),
   * --upsample-domains and --keep-rate name, before Spark starts, against the best list there is:
   * the corpus's own, from the histogram or tokenized output this run reuses, or the names of named
   * sources; else --domains, a set the corpus cannot leave. Without either, any name can be a
   * domain (--domains is what restricts them, and it rejects records, so it is not demanded here):
   * the names are checked against the histogram once tokenize and histogram have run, and a name
   * that is not one of SlimPajama's gets a note now, since a typo would otherwise show only then.
   */
  static void checkDomainsNamed(Settings s, CorpusDomains corpus, PrintStream out) {
    PlanConfig plan = PlanOptions.parse(s, 1, PlanConfig.LONG_THRESHOLD_DEFAULT);
    List<String> shared =
        plan.domainShares().entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .map(Map.Entry::getKey)
            .toList();
    Set<String> given = new LinkedHashSet<>(s.list("domains"));
    Map<String, List<String>> keys = new LinkedHashMap<>();
    keys.put(PlanConfig.DOMAIN_SHARES, shared);
    keys.put(PlanConfig.UPSAMPLE_DOMAINS, plan.upsampleDomains());
    keys.put(PlanConfig.KEEP_RATE, List.copyOf(plan.keepRate().named().keySet()));
    for (Map.Entry<String, List<String>> named : keys.entrySet()) {
      String key = named.getKey();
      for (String name : named.getValue()) {
        if (corpus != null && !corpus.names().contains(name)) {
          throw ConfigException.invalid(
              key,
              s.string(key),
              "names domain '"
                  + name
                  + "', which the corpus does not have; it has "
                  + corpus.names()
                  + " (from "
                  + corpus.from()
                  + ")");
        }
        if (corpus == null && !given.isEmpty() && !given.contains(name)) {
          throw ConfigException.invalid(
              key,
              s.string(key),
              "names domain '" + name + "', which is not in --domains " + given);
        }
        if (corpus == null
            && given.isEmpty()
            && !DomainShares.preset(DomainShares.SLIMPAJAMA).containsKey(name)) {
          out.println(
              "[run] note: --"
                  + key
                  + " names domain '"
                  + name
                  + "', not one of SlimPajama's; without --domains it is checked against the"
                  + " corpus only once tokenize and histogram have run");
        }
      }
    }
  }
}
