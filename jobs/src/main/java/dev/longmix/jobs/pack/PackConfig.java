package dev.longmix.jobs.pack;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.common.pack.PackingConfig;
import dev.longmix.common.pack.PackingMode;
import dev.longmix.common.pack.TailPolicy;
import dev.longmix.common.plan.MixturePlanner;
import dev.longmix.common.plan.Plan;
import dev.longmix.common.plan.PlanConfig;
import dev.longmix.jobs.cli.CommandSpec;
import dev.longmix.jobs.cli.Option;
import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.evalset.PackHoldout;
import dev.longmix.jobs.histogram.HistogramFiles;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.manifest.TokenizeManifest;
import dev.longmix.jobs.spark.Fingerprint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The validated settings of the pack stage, with its plan: everything is resolved and checked
 * before Spark starts.
 *
 * @param input the tokenized dataset
 * @param histogram the histogram directory the plan was made from
 * @param output where the packed rows go
 * @param plan the mixture plan
 * @param fig2 the histogram the plan was made from (Fig. 2 bins), for per-bin targets: the input's,
 *     less its held-out eval pool
 * @param packing row length and tail policy
 * @param dryRun print the plan and stop
 * @param inputFingerprint the tokenized dataset's fingerprint
 * @param tokenizerSha256 the tokenizer's hash, from the tokenized dataset's manifest
 * @param fingerprint f(input, histogram, plan config, packing)
 * @param progressSeconds how often progress is printed
 * @param resolved the effective settings, for the manifest
 * @param holdout what the pack does about the input's eval pool
 */
public record PackConfig(
    String input,
    String histogram,
    String output,
    Plan plan,
    LengthHistogram fig2,
    PackingConfig packing,
    boolean dryRun,
    String inputFingerprint,
    String tokenizerSha256,
    String fingerprint,
    long progressSeconds,
    Map<String, String> resolved,
    PackHoldout holdout) {

  public static final List<Option> OPTIONS;

  static {
    List<Option> o = new ArrayList<>();
    o.add(Option.required("input", "DIR", "the tokenized dataset (output of longmix tokenize)"));
    o.add(Option.required("histogram", "DIR", "the histogram of that dataset"));
    o.add(Option.required("output", "DIR", "where the packed rows go"));
    o.addAll(packingOptions());
    o.addAll(PlanOptions.OPTIONS);
    o.add(PackHoldout.OPTION);
    OPTIONS = List.copyOf(o);
  }

  /** Row length, packing, tail and pad id options, shared with the run command. */
  public static List<Option> packingOptions() {
    return List.of(
        Option.optional(
            PackingConfig.SEQ_LEN,
            "TOKENS",
            Integer.toString(PackingConfig.SEQ_LEN_DEFAULT),
            "tokens per packed row"),
        Option.optional(
            PackingMode.KEY,
            "concat|best-fit",
            PackingConfig.MODE_DEFAULT.cliName(),
            "concat: the paper's, items concatenated and cut every --seq-len tokens; best-fit:"
                + " no item of at most --seq-len tokens is cut, longer ones in --seq-len pieces,"
                + " rows filled best-fit decreasing and padded"),
        Option.optional(
            PackingConfig.TAIL,
            "drop|pad",
            PackingConfig.TAIL_DEFAULT.name().toLowerCase(Locale.ROOT),
            "what happens to the partial last row (concat) or the emptiest row (best-fit)"),
        Option.optional(
            PackingConfig.PAD_ID,
            "ID",
            Integer.toString(PackingConfig.PAD_ID_DEFAULT),
            "token id of padding (a padded tail row; every row's unused tail under best-fit)"),
        Option.flag("dry-run", "print the plan and stop"));
  }

  public static CommandSpec spec() {
    return new CommandSpec(
        "pack",
        "Stage 3: select documents per the strategy's plan and pack them into fixed-length rows.",
        """
        Plans from the histogram (printed first; --dry-run stops there), selects items with
        keyed randomness so each pool's budget is met exactly, then packs them: --packing concat
        orders them by a keyed random key and cuts the concatenation every --seq-len tokens;
        --packing best-fit cuts no item of at most --seq-len tokens and fills rows best-fit
        decreasing, rows in keyed random order, padding marked by n_tokens. Rows carry their
        document spans. The same input, settings and seed give the same rows on any cluster.

        When the input records a holdout (INPUT/_holdout, written by longmix evalset
        --holdout-fraction), its documents are left out and the plan is made from the histogram
        without them; a declared holdout whose record is incomplete stops the pack unless
        --no-holdout. The manifest says which, and counts packed documents whose ids equal an
        eval document's.
        """,
        OPTIONS);
  }

  /** The packing settings of {@code s}. */
  public static PackingConfig packing(Settings s) {
    String tail = s.choice(PackingConfig.TAIL, List.of("drop", "pad"));
    return new PackingConfig(
        s.positiveInt(PackingConfig.SEQ_LEN),
        TailPolicy.valueOf(tail.toUpperCase(Locale.ROOT)),
        (int) s.nonNegativeLong(PackingConfig.PAD_ID),
        PackingMode.fromCli(s.string(PackingMode.KEY)));
  }

  /** Checks the strategy options that need no histogram (for the run command, before Spark). */
  public static void precheck(Settings s) {
    PlanOptions.budgetIsFraction(s);
    PlanOptions.parse(s, 1, PlanConfig.LONG_THRESHOLD_DEFAULT);
    packing(s);
  }

  /**
   * Validates the settings, reads the input's manifest and the histogram, and plans.
   *
   * @throws dev.longmix.common.plan.InfeasiblePlanException when the plan cannot be met
   */
  public static PackConfig from(Settings s, Configuration hadoop) {
    PackingConfig packing = packing(s);
    PlanOptions.budgetIsFraction(s);
    String input = s.string("input");
    Manifests.Manifest<TokenizeManifest> upstream =
        Manifests.complete(hadoop, "input", input, TokenizeManifest.STAGE, TokenizeManifest.class);
    return of(s, hadoop, input, s.string("histogram"), s.string("output"), upstream, packing);
  }

  /** {@link #from} for an input and histogram written earlier in the same run. */
  public static PackConfig of(
      Settings s,
      Configuration hadoop,
      String input,
      String histogramDir,
      String output,
      Manifests.Manifest<TokenizeManifest> upstream,
      PackingConfig packing) {
    HistogramFiles.Loaded h = HistogramFiles.read(hadoop, "histogram", histogramDir);
    String inputFp = upstream.header().fingerprint();
    if (!h.inputFingerprint().equals(inputFp)) {
      throw new ConfigException(
          "histogram",
          histogramDir,
          "was made from a different tokenized dataset (fingerprint "
              + h.inputFingerprint()
              + ", input has "
              + inputFp
              + "); rerun longmix histogram on --input");
    }
    PackHoldout holdout =
        PackHoldout.resolve(hadoop, input, inputFp, s.flag(PackHoldout.NO_HOLDOUT), h.fig2());
    LengthHistogram training = holdout.training(h.fig2(), histogramDir);
    long budget = PlanOptions.budget(s, training.tokens());
    PlanConfig pc = PlanOptions.parse(s, budget, training.longThreshold());
    Plan plan = MixturePlanner.plan(training, pc);
    Fingerprint fp = new Fingerprint("pack");
    fp.add("input", inputFp);
    fp.add("histogram", h.fingerprint());
    fp.add("plan", pc.toString());
    fp.add("packing", packing.toString());
    if (holdout.fingerprintPart() != null) {
      // Without a holdout the fingerprint is what it always was, so earlier outputs stay current.
      fp.add("holdout", holdout.fingerprintPart());
    }
    return new PackConfig(
        input,
        histogramDir,
        output,
        plan,
        training,
        packing,
        s.flag("dry-run"),
        inputFp,
        upstream.body().tokenizer() == null ? "" : upstream.body().tokenizer().sha256(),
        fp.value(),
        s.nonNegativeLong("progress-interval"),
        new TreeMap<>(s.resolved()),
        holdout);
  }
}
