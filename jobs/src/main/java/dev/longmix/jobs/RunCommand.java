package dev.longmix.jobs;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.eval.HoldoutRule;
import dev.longmix.common.plan.DomainShares;
import dev.longmix.common.plan.InfeasiblePlanException;
import dev.longmix.common.plan.Plan;
import dev.longmix.common.plan.PlanConfig;
import dev.longmix.jobs.cli.CommandSpec;
import dev.longmix.jobs.cli.Option;
import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.evalset.EvalsetConfig;
import dev.longmix.jobs.evalset.HoldoutRecord;
import dev.longmix.jobs.evalset.PackHoldout;
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
  static final String EVALSET = "evalset";
  static final String EVAL_TOKENIZED = "eval-tokenized";

  /** A held-out corpus split to build the evalset from (instead of a holdout of the input). */
  static final String EVAL_INPUT = "eval-input";

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
    o.add(PackHoldout.OPTION);
    o.add(
        Option.optional(
            EVAL_INPUT,
            "PATH",
            null,
            "a held-out split of the corpus (e.g. SlimPajama's validation/): tokenized into"
                + " ROOT/eval-tokenized, the evalset built from all of it into ROOT/evalset"));
    o.addAll(EvalsetConfig.evalOptions());
    return new CommandSpec(
        "run",
        "The whole pipeline: tokenize, [evalset,] histogram, pack, in one Spark session.",
        """
        Each stage is skipped when its output is complete for the same inputs and settings, so
        changing only the strategy reruns only pack. --budget-fraction is resolved against the
        corpus's tokens once the histogram exists (less the eval pool's, under a holdout).

        With --holdout-fraction F, evalset runs after tokenize: F of the corpus's documents
        become the eval pool (ROOT/evalset), recorded in ROOT/tokenized/_holdout, and pack
        leaves them out. With --eval-input PATH, that held-out split is tokenized into
        ROOT/eval-tokenized and all of it is the eval pool; the packed rows are the same as
        without it. The evalset's own options (grid, cells, needle) are those of longmix evalset.

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
    boolean holdout = s.isSet(HoldoutRule.FRACTION);
    boolean evalInput = s.isSet(EVAL_INPUT);
    if (holdout && evalInput) {
      throw ConfigException.invalid(
          EVAL_INPUT,
          s.string(EVAL_INPUT),
          "the eval pool is either a held-out split (--eval-input) or a holdout of the corpus"
              + " (--holdout-fraction), not both");
    }
    if (holdout || evalInput) {
      EvalsetConfig.precheck(s);
    }
    TokenizeConfig evalTok =
        evalInput
            ? TokenizeConfig.from(evalTokenizeSettings(s), hadoop)
                .withOutput(root + "/" + EVAL_TOKENIZED)
            : null;
    String evalOut = root + "/" + EVALSET;
    Stage<?> tokenize = TokenizeCommand.stage(tok);
    Stage<?> histogram = HistogramCommand.stage(hist, tok.progressSeconds());
    // Decided before Spark starts, so an output that must not be replaced stops the run at once.
    boolean skipTokenize = StageRunner.upToDate(tokenize, s, out);
    Stage<?> evalTokenize = evalInput ? TokenizeCommand.stage(evalTok) : null;
    boolean skipEvalTokenize = !evalInput || StageRunner.upToDate(evalTokenize, s, out);
    boolean skipHistogram = StageRunner.upToDate(histogram, s, out);
    CorpusDomains known =
        skipHistogram
            ? corpusDomains(hist.output(), HistogramFiles.read(hadoop, "histogram", hist.output()))
            : skipTokenize ? corpusDomains(tok.output(), hadoop) : corpusDomains(tok.inputs());
    checkDomainsNamed(s, known, out);
    // Later stages' fingerprints need earlier outputs; until they exist, refuse at least foreign
    // data.
    OutputGuard.precheck(hadoop, "output", packed, s.flag("overwrite"));
    if (holdout || evalInput) {
      OutputGuard.precheck(hadoop, "output", evalOut, s.flag("overwrite"));
    }

    List<String> outputs = new ArrayList<>(List.of(tok.output(), hist.output(), packed));
    if (holdout || evalInput) {
      outputs.add(evalOut);
    }
    return StageRunner.inSession(
        "longmix run",
        s,
        outputs,
        spark -> {
          if (!skipTokenize) {
            int code = StageRunner.run(spark, tokenize, out);
            if (code != ExitCode.OK) {
              return code;
            }
          }
          if (!skipEvalTokenize) {
            int code = StageRunner.run(spark, evalTokenize, out);
            if (code != ExitCode.OK) {
              return code;
            }
          }
          if (holdout || evalInput) {
            String from = evalInput ? evalTok.output() : tok.output();
            EvalsetConfig ev =
                EvalsetConfig.of(
                    s,
                    hadoop,
                    from,
                    evalOut,
                    Manifests.read(hadoop, from, TokenizeManifest.class).orElseThrow(),
                    s.string("tokenizer"));
            Stage<?> evalset = EvalsetCommand.stage(ev);
            // A missing holdout record is made again even when the evalset itself is complete
            // (someone else's output is still refused).
            if (ev.writesHoldout()) {
              OutputGuard.decide(
                  hadoop, "output", evalOut, ev.fingerprint(), true, s.flag("overwrite"));
              StageRunner.run(spark, evalset, out);
            } else if (!StageRunner.upToDate(evalset, s, out)) {
              StageRunner.run(spark, evalset, out);
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
          if (holdout && pack.holdout().status() == PackHoldout.Status.NONE) {
            throw new IllegalStateException(
                "the holdout this run declared is not in " + HoldoutRecord.dir(tok.output()));
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

  /** The tokenize settings of the held-out split: the corpus's, with its path. */
  static Settings evalTokenizeSettings(Settings s) {
    Map<String, String> v = new LinkedHashMap<>();
    for (Option o : TokenizeConfig.OPTIONS) {
      s.optional(o.key()).ifPresent(x -> v.put(o.key(), x));
    }
    v.put("input", s.string(EVAL_INPUT));
    v.put("progress-interval", s.string("progress-interval"));
    return Settings.of(TokenizeConfig.spec(), v, s.sparkConf());
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
    if (s.isSet(HoldoutRule.FRACTION)) {
      // With --eval-input the evalset's domains are the held-out split's, checked once it is
      // tokenized.
      keys.putAll(EvalsetConfig.namedDomains(s));
    }
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
