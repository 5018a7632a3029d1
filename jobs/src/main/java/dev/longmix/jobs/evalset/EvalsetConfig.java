package dev.longmix.jobs.evalset;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.eval.HoldoutRule;
import dev.longmix.common.eval.LengthClasses;
import dev.longmix.common.eval.NeedleGrid;
import dev.longmix.common.eval.NeedleText;
import dev.longmix.common.plan.PlanConfig;
import dev.longmix.common.tokenizer.HfTokenizer;
import dev.longmix.common.tokenizer.SpecialTokens;
import dev.longmix.jobs.cli.CommandSpec;
import dev.longmix.jobs.cli.Option;
import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.manifest.TokenizeManifest;
import dev.longmix.jobs.spark.Fingerprint;
import dev.longmix.jobs.tokenize.TokenizerSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;

/**
 * The validated settings of the evalset stage, resolved before Spark starts: the input's manifest
 * read, the tokenizer loaded and checked against the one the input was tokenized with, the needle
 * and question tokenized, the grid and the domains checked.
 *
 * @param input the tokenized dataset
 * @param output where the evalset goes
 * @param inputFingerprint the tokenized dataset's fingerprint
 * @param tokenizer the tokenizer file (its hash is the input's)
 * @param framing the ids the input's documents carry before and after their text
 * @param needleIds the needle's ids (no BOS)
 * @param questionIds the question prompt's ids (no BOS)
 * @param holdout the holdout rule, or null when the whole input is the eval pool
 * @param holdoutRecord the holdout record's state when this stage starts
 * @param holdoutFingerprint the record's fingerprint (null without a holdout)
 * @param seed the seed of the cells' and the haystack's order
 * @param classes Table 5's or Fig. 2's length classes
 * @param domains the domains of the validation cells
 * @param tokensPerCell each cell's token budget
 * @param maxDocTokens documents longer than this are cut to it
 * @param grid the needle grid
 * @param haystackDomains the haystack's domains, in order of preference
 * @param text the needle, question, answer and question prompt
 * @param inputDomains every domain of the input with its documents and tokens
 * @param fingerprint f(input, pool, everything above)
 * @param resolved the effective settings, for the manifest
 */
public record EvalsetConfig(
    String input,
    String output,
    String inputFingerprint,
    TokenizerSource tokenizer,
    Framing framing,
    int[] needleIds,
    int[] questionIds,
    HoldoutRule holdout,
    HoldoutRecord.Found holdoutRecord,
    String holdoutFingerprint,
    long seed,
    LengthClasses classes,
    List<String> domains,
    long tokensPerCell,
    int maxDocTokens,
    NeedleGrid grid,
    List<String> haystackDomains,
    NeedleText text,
    Map<String, TokenizeManifest.DomainCounts> inputDomains,
    String fingerprint,
    Map<String, String> resolved) {

  public static final String TOKENS_PER_CELL = "tokens-per-cell";
  public static final long TOKENS_PER_CELL_DEFAULT = 1L << 20;
  public static final String MAX_DOC_TOKENS = "max-doc-tokens";
  public static final int MAX_DOC_TOKENS_DEFAULT = 131_072;
  public static final String EVAL_DOMAINS = "eval-domains";
  public static final String HAYSTACK_DOMAINS = "haystack-domains";
  public static final String HAYSTACK_DOMAINS_DEFAULT = "RedPajamaBook,RedPajamaArXiv";
  public static final String REPLACE_HOLDOUT = "replace-holdout";

  /** Haystack documents are long: more tokens than this (the recipe's long threshold). */
  public static final long HAYSTACK_MIN_TOKENS =
      dev.longmix.common.histogram.LengthHistogram.LONG_THRESHOLD_DEFAULT;

  /**
   * The ids the dataset's framing puts around a document's text.
   *
   * @param head before it (LLaMA-2: BOS)
   * @param tail after it (an EOS under --special-tokens eos|bos-eos)
   * @param special the framing policy the input was tokenized with
   * @param bosToken its BOS token text
   * @param eosToken its EOS token text
   */
  public record Framing(
      int[] head, int[] tail, SpecialTokens special, String bosToken, String eosToken)
      implements java.io.Serializable {}

  /** The options that say what the evalset holds; the run command shares them. */
  public static List<Option> evalOptions() {
    return List.of(
        Option.optional(
            HoldoutRule.FRACTION,
            "F",
            null,
            "hold this share of the input's documents out as the eval pool, in (0, 1), recorded in"
                + " INPUT/_holdout so every pack of INPUT leaves them out (default: the whole"
                + " input is the pool: a held-out split such as SlimPajama's validation/)"),
        Option.optional(HoldoutRule.SEED, "S", null, "seed of the holdout draw (default: --seed)"),
        Option.flag(
            REPLACE_HOLDOUT,
            "replace INPUT's holdout record when it was made with another fraction or seed (packs"
                + " made before must be redone)"),
        Option.optional(
            LengthClasses.KEY,
            "table5|fig2",
            LengthClasses.DEFAULT.cliName(),
            "validation cells per domain x Table 5's 0-4K/4K-128K, or x the Fig. 2 bins"),
        Option.optional(
            EVAL_DOMAINS, "A,B,...", null, "domains of the validation cells (default: all)"),
        Option.optional(
            TOKENS_PER_CELL,
            "TOKENS",
            Long.toString(TOKENS_PER_CELL_DEFAULT),
            "at most this many tokens of whole documents per cell"),
        Option.optional(
            MAX_DOC_TOKENS,
            "TOKENS",
            Integer.toString(MAX_DOC_TOKENS_DEFAULT),
            "a longer document is cut to this many tokens and marked cut"),
        Option.optional(
            NeedleGrid.LENGTHS,
            "authors|N,N,...",
            NeedleGrid.AUTHORS,
            "needle context lengths in tokens (authors: 40 from 1,000 to 128,000)"),
        Option.optional(
            NeedleGrid.DEPTHS,
            "authors|D,D,...",
            NeedleGrid.AUTHORS,
            "needle depths in percent, each in [0, 100] (authors: 0, 11, 22, ..., 100)"),
        Option.optional(
            HAYSTACK_DOMAINS,
            "A,B,...",
            HAYSTACK_DOMAINS_DEFAULT,
            "the haystack's domains, in order: long pool documents of the first, then the next"),
        Option.optional(
            NeedleText.NEEDLE,
            "TEXT",
            null,
            "the needle sentence (default: the classic San Francisco needle, on a line of its"
                + " own)"),
        Option.optional(
            NeedleText.QUESTION, "TEXT", NeedleText.QUESTION_DEFAULT, "the question asking for it"),
        Option.optional(
            NeedleText.ANSWER,
            "TEXT",
            NeedleText.ANSWER_DEFAULT,
            "what a correct output contains (scored on its words)"),
        Option.optional(
            NeedleText.QUESTION_PROMPT,
            "TEMPLATE",
            null,
            "the text after the context; {question} is replaced (default: the authors', see"
                + " docs/evaluation.md)"));
  }

  public static final List<Option> OPTIONS;

  static {
    List<Option> o = new ArrayList<>();
    o.add(Option.required("input", "DIR", "the tokenized dataset (output of longmix tokenize)"));
    o.add(Option.required("output", "DIR", "where the evalset goes"));
    o.add(
        Option.optional(
            "tokenizer",
            "PATH|URI|HUB_ID",
            null,
            "the input's tokenizer.json (default: where its manifest says it came from); its"
                + " sha256 must be the input's"));
    o.add(
        Option.optional(
            PlanConfig.SEED,
            "S",
            Long.toString(PlanConfig.SEED_DEFAULT),
            "seed of the keyed order of cells and haystack (and of the holdout)"));
    o.addAll(evalOptions());
    OPTIONS = List.copyOf(o);
  }

  public static CommandSpec spec() {
    return new CommandSpec(
        "evalset",
        "Stage 2b: eval data never trained on: Table 5's validation sets, Fig. 1's needle prompts.",
        """
        The eval pool is the whole input (a held-out split, e.g. SlimPajama's validation/
        tokenized) or, with --holdout-fraction F, a keyed share of the input's documents,
        recorded in INPUT/_holdout: every later pack of INPUT leaves them out and says so.
        Writes OUTPUT/validation (one document per row: doc_id, domain, length_class, n_tokens,
        cut, input_ids; up to --tokens-per-cell tokens of whole documents per domain x class,
        in keyed order), OUTPUT/needle and OUTPUT/needle.jsonl (one prompt per grid point:
        exactly context_length input_ids: the dataset's BOS, haystack of the pool's long documents
        of --haystack-domains, the needle on a sentence boundary at or before the depth), and
        OUTPUT/_manifest.json with each cell's documents and tokens. A cell the pool cannot fill
        keeps what the pool has and is reported. Scored by python -m longmix.eval.
        """,
        OPTIONS);
  }

  /** Validates the settings against the input's manifest and tokenizer. */
  public static EvalsetConfig from(Settings s, Configuration hadoop) {
    String input = s.string("input");
    Manifests.Manifest<TokenizeManifest> upstream =
        Manifests.complete(hadoop, "input", input, TokenizeManifest.STAGE, TokenizeManifest.class);
    return of(s, hadoop, input, s.string("output"), upstream, s.optional("tokenizer").orElse(null));
  }

  /**
   * Checks the settings that need no input (for the run command, before Spark starts): numbers,
   * ranges, the grid, the texts.
   */
  public static void precheck(Settings s) {
    seed(s);
    holdoutRule(s);
    LengthClasses.parse(s.string(LengthClasses.KEY));
    s.positiveLong(TOKENS_PER_CELL);
    s.positiveInt(MAX_DOC_TOKENS);
    NeedleGrid.parse(s.string(NeedleGrid.LENGTHS), s.string(NeedleGrid.DEPTHS));
    text(s);
  }

  /** The domains an evalset's settings name (for the run command's early checks). */
  public static Map<String, List<String>> namedDomains(Settings s) {
    return Map.of(EVAL_DOMAINS, s.list(EVAL_DOMAINS), HAYSTACK_DOMAINS, s.list(HAYSTACK_DOMAINS));
  }

  /** {@link #from} for an input known already (the run command's chaining). */
  public static EvalsetConfig of(
      Settings s,
      Configuration hadoop,
      String input,
      String output,
      Manifests.Manifest<TokenizeManifest> upstream,
      String tokenizerSpec) {
    // The settings that need no input first, so a typo is named before anything is read.
    precheck(s);
    String inputFp = upstream.header().fingerprint();
    TokenizeManifest body = upstream.body();
    String sha = body.tokenizer() == null ? null : body.tokenizer().sha256();
    TokenizerSource tok = tokenizer(hadoop, tokenizerSpec, body, input);
    if (sha != null && !sha.equals(tok.sha256())) {
      throw ConfigException.invalid(
          "tokenizer",
          tokenizerSpec == null ? tok.spec() : tokenizerSpec,
          "has sha256 "
              + tok.sha256()
              + "; "
              + input
              + " was tokenized with "
              + sha
              + ": the evalset's ids must come from the input's tokenizer");
    }
    Map<String, String> upConfig = upstream.header().config();
    SpecialTokens special =
        SpecialTokens.parse(upConfig.getOrDefault(SpecialTokens.KEY, "post-processor"));
    String bos = upConfig.getOrDefault("bos-token", "<s>");
    String eos = upConfig.getOrDefault("eos-token", "</s>");
    NeedleText text = text(s);
    Framing framing;
    int[] needleIds;
    int[] questionIds;
    try (HfTokenizer framed = HfTokenizer.fromJson(tok.json(), special, bos, eos);
        HfTokenizer bare = HfTokenizer.fromJson(tok.json(), SpecialTokens.NONE, bos, eos)) {
      int[][] ht = framed.framing();
      framing = new Framing(ht[0], ht[1], special, bos, eos);
      needleIds = bare.encode(text.needle());
      questionIds = bare.encode(text.questionText());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw ConfigException.invalid("tokenizer", tok.spec(), e.getMessage());
    }
    if (needleIds.length == 0 || questionIds.length == 0) {
      throw ConfigException.invalid(
          NeedleText.NEEDLE, text.needle(), "tokenizes to nothing, as does the question prompt");
    }

    Map<String, TokenizeManifest.DomainCounts> domains =
        body.domains() == null ? Map.of() : new TreeMap<>(body.domains());
    List<String> evalDomains = s.list(EVAL_DOMAINS);
    checkDomains(EVAL_DOMAINS, s, evalDomains, domains.keySet(), input);
    if (evalDomains.isEmpty()) {
      evalDomains = List.copyOf(domains.keySet());
    }
    List<String> haystack = s.list(HAYSTACK_DOMAINS);
    if (haystack.isEmpty()) {
      throw ConfigException.invalid(
          HAYSTACK_DOMAINS, s.string(HAYSTACK_DOMAINS), "must name at least one domain");
    }
    checkDomains(HAYSTACK_DOMAINS, s, haystack, domains.keySet(), input);

    NeedleGrid grid = NeedleGrid.parse(s.string(NeedleGrid.LENGTHS), s.string(NeedleGrid.DEPTHS));
    int fixed = framing.head().length + needleIds.length;
    if (grid.shortest() <= fixed) {
      throw ConfigException.invalid(
          NeedleGrid.LENGTHS,
          s.string(NeedleGrid.LENGTHS),
          "the shortest, "
              + grid.shortest()
              + " tokens, leaves no room for haystack beside the "
              + framing.head().length
              + " head and "
              + needleIds.length
              + " needle tokens");
    }
    long haystackAll = 0;
    for (String d : haystack) {
      TokenizeManifest.DomainCounts c = domains.get(d);
      haystackAll += c == null ? 0 : c.tokens();
    }
    long need = (long) grid.longest() - fixed;
    if (!domains.isEmpty() && haystackAll < need) {
      // Certain before any data is read: even every document of these domains is too short. The
      // exact check (the pool's long documents) follows the first pass over the documents.
      throw ConfigException.invalid(
          NeedleGrid.LENGTHS,
          s.string(NeedleGrid.LENGTHS),
          "the longest, "
              + grid.longest()
              + " tokens, needs "
              + need
              + " haystack tokens, but all of "
              + input
              + "'s documents of "
              + haystack
              + " hold "
              + haystackAll
              + " tokens (the haystack comes from the eval pool's long documents of --"
              + HAYSTACK_DOMAINS
              + ")");
    }

    HoldoutRule rule = holdoutRule(s);
    HoldoutRecord.Found record = HoldoutRecord.inspect(hadoop, input);
    String holdoutFp = rule == null ? null : HoldoutRecord.fingerprint(inputFp, rule);
    if (rule != null
        && record.kind() == HoldoutRecord.Kind.COMPLETE
        && !record.manifest().header().fingerprint().equals(holdoutFp)
        && !s.flag(REPLACE_HOLDOUT)) {
      var m = record.manifest().body();
      throw ConfigException.invalid(
          HoldoutRule.FRACTION,
          s.string(HoldoutRule.FRACTION),
          input
              + " already has a holdout (fraction "
              + m.fraction()
              + ", seed "
              + m.seed()
              + (m.inputFingerprint().equals(inputFp) ? "" : ", of an earlier version of it")
              + ", in "
              + HoldoutRecord.dir(input)
              + "); a tokenized dataset has one eval pool: give its --holdout-fraction and"
              + " --holdout-seed, or --"
              + REPLACE_HOLDOUT
              + " (packs made with the old one must then be redone)");
    }
    if (rule == null && record.kind() != HoldoutRecord.Kind.NONE) {
      throw ConfigException.invalid(
          HoldoutRule.FRACTION,
          null,
          input
              + " has a holdout record ("
              + HoldoutRecord.dir(input)
              + "): it is a training dataset, so the whole of it cannot be the eval pool; give"
              + " the record's --holdout-fraction and --holdout-seed to draw from its pool");
    }

    LengthClasses classes = LengthClasses.parse(s.string(LengthClasses.KEY));
    long perCell = s.positiveLong(TOKENS_PER_CELL);
    int maxDoc = s.positiveInt(MAX_DOC_TOKENS);
    long seed = seed(s);

    Fingerprint fp = new Fingerprint("evalset");
    fp.add("input", inputFp);
    fp.add("pool", holdoutFp == null ? "whole-input" : holdoutFp);
    fp.add("tokenizer", tok.sha256());
    fp.add("seed", Long.toString(seed));
    fp.add(LengthClasses.KEY, classes.cliName());
    fp.add(EVAL_DOMAINS, String.join(",", evalDomains));
    fp.add(TOKENS_PER_CELL, Long.toString(perCell));
    fp.add(MAX_DOC_TOKENS, Integer.toString(maxDoc));
    fp.add(NeedleGrid.LENGTHS, grid.contextLengths().toString());
    fp.add(NeedleGrid.DEPTHS, grid.depthsPercent().toString());
    fp.add(HAYSTACK_DOMAINS, String.join(",", haystack));
    fp.add("text", text.toString());
    return new EvalsetConfig(
        input,
        output,
        inputFp,
        tok,
        framing,
        needleIds,
        questionIds,
        rule,
        record,
        holdoutFp,
        seed,
        classes,
        evalDomains,
        perCell,
        maxDoc,
        grid,
        haystack,
        text,
        domains,
        fp.value(),
        new TreeMap<>(s.resolved()));
  }

  /** Whether this run writes the holdout record (absent, incomplete, or another one replaced). */
  public boolean writesHoldout() {
    return holdout != null
        && (holdoutRecord.kind() != HoldoutRecord.Kind.COMPLETE
            || !holdoutRecord.manifest().header().fingerprint().equals(holdoutFingerprint));
  }

  private static long seed(Settings s) {
    String v = s.string(PlanConfig.SEED);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(PlanConfig.SEED, v, "must be a whole number");
    }
  }

  /** The holdout rule of the settings, or null when no fraction is given. */
  static HoldoutRule holdoutRule(Settings s) {
    if (s.optional(HoldoutRule.FRACTION).isEmpty()) {
      return null;
    }
    String v = s.string(HoldoutRule.FRACTION);
    double f;
    try {
      f = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(
          HoldoutRule.FRACTION, v, "must be a number strictly between 0 and 1");
    }
    if (!(f > 0 && f < 1)) {
      throw new ConfigException(
          HoldoutRule.FRACTION, v, "must be a number strictly between 0 and 1");
    }
    long seed;
    String sv = s.optional(HoldoutRule.SEED).orElse(s.string(PlanConfig.SEED));
    try {
      seed = Long.parseLong(sv);
    } catch (NumberFormatException e) {
      throw new ConfigException(HoldoutRule.SEED, sv, "must be a whole number");
    }
    return new HoldoutRule(seed, f);
  }

  private static NeedleText text(Settings s) {
    return new NeedleText(
        s.optional(NeedleText.NEEDLE).orElse(NeedleText.NEEDLE_DEFAULT),
        s.string(NeedleText.QUESTION),
        s.string(NeedleText.ANSWER),
        s.optional(NeedleText.QUESTION_PROMPT).orElse(NeedleText.QUESTION_PROMPT_DEFAULT));
  }

  private static TokenizerSource tokenizer(
      Configuration hadoop, String spec, TokenizeManifest body, String input) {
    if (spec != null) {
      return TokenizerSource.resolve(hadoop, "tokenizer", spec);
    }
    TokenizeManifest.Tokenizer t = body.tokenizer();
    if (t == null || (t.origin() == null && t.spec() == null)) {
      throw ConfigException.invalid(
          "tokenizer", null, input + "'s manifest does not say which tokenizer: pass --tokenizer");
    }
    String where =
        t.origin() != null && !t.origin().startsWith("huggingface-hub:") ? t.origin() : t.spec();
    try {
      return TokenizerSource.resolve(hadoop, "tokenizer", where);
    } catch (ConfigException e) {
      throw ConfigException.invalid(
          "tokenizer",
          null,
          input
              + " was tokenized with "
              + where
              + " (sha256 "
              + t.sha256()
              + "), which cannot be read now ("
              + e.rule()
              + "): pass --tokenizer");
    }
  }

  private static void checkDomains(
      String key, Settings s, List<String> named, java.util.Set<String> known, String input) {
    if (known.isEmpty()) {
      return;
    }
    for (String d : named) {
      if (!known.contains(d)) {
        throw ConfigException.invalid(
            key,
            s.string(key),
            "names domain '"
                + d
                + "', which "
                + input
                + " does not have; it has "
                + new TreeSet<>(known));
      }
    }
  }

  @Override
  public String toString() {
    return "EvalsetConfig[" + input + " -> " + output + ", " + Arrays.toString(needleIds) + "]";
  }
}
