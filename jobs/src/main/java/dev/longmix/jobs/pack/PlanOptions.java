package dev.longmix.jobs.pack;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.plan.DomainShares;
import dev.longmix.common.plan.InfeasiblePolicy;
import dev.longmix.common.plan.KeepRates;
import dev.longmix.common.plan.PlanConfig;
import dev.longmix.common.plan.Strategy;
import dev.longmix.common.plan.UpsampleForm;
import dev.longmix.jobs.cli.Option;
import dev.longmix.jobs.cli.Settings;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The strategy options shared by {@code plan}, {@code pack} and {@code run}: one spelling per
 * {@link PlanConfig} key, parsed into a {@link PlanConfig} once the budget is known.
 */
public final class PlanOptions {
  public static final String BUDGET_FRACTION = "budget-fraction";

  public static final List<Option> OPTIONS =
      List.of(
          Option.required(
              PlanConfig.STRATEGY,
              "NAME",
              "one of "
                  + Arrays.stream(Strategy.values())
                      .map(Strategy::cliName)
                      .collect(Collectors.joining(", "))),
          Option.optional(
              PlanConfig.BUDGET_TOKENS, "N", null, "output tokens (or --budget-fraction)"),
          Option.optional(
              BUDGET_FRACTION,
              "F",
              null,
              "output tokens as a share of the corpus's tokens (instead of --budget-tokens)"),
          Option.optional(
              PlanConfig.KEEP_RATE,
              "R|NAME=R,...,*=R",
              Double.toString(PlanConfig.KEEP_RATE_DEFAULT),
              "rate at which short documents are kept (per-source, global, domain): one for all"
                  + " domains, or per domain with * for the rest (unnamed domains without *: "
                  + PlanConfig.KEEP_RATE_DEFAULT
                  + ")"),
          Option.optional(
              PlanConfig.TARGET_LONG_SHARE,
              "TAU",
              null,
              "target long-token share; solves the keep rate per pool instead of one --keep-rate"),
          Option.optional(
              PlanConfig.DOMAIN_SHARES,
              "PRESET|A=W,...",
              DomainShares.NATURAL,
              "target domain shares: natural, "
                  + String.join(", ", DomainShares.presetNames())
                  + ", or explicit A=0.5,B=0.5"),
          Option.optional(
              PlanConfig.UPSAMPLE_DOMAINS, "A,B,...", null, "domains the domain strategy raises"),
          Option.optional(
              PlanConfig.UPSAMPLE_FORM,
              "FORM",
              cli(PlanConfig.UPSAMPLE_FORM_DEFAULT),
              "joint (raw weight per raised domain) or target-share (one domain's share)"),
          Option.optional(
              PlanConfig.UPSAMPLE_WEIGHT,
              "W",
              null,
              "raw weight (joint, default 0.6) or share (target-share, default 0.55)"),
          Option.optional(
              PlanConfig.MAX_COPIES,
              "K",
              Integer.toString(PlanConfig.MAX_COPIES_DEFAULT),
              "most copies of one item in the output"),
          Option.optional(
              PlanConfig.INFEASIBLE,
              "POLICY",
              PlanConfig.INFEASIBLE_DEFAULT.cliName(),
              "when the keep rule cannot fill a pool taking each item once: fail; repeat (up to"
                  + " --max-copies, keeping the rule's long share); fill-short (repeat up to"
                  + " --max-copies, then take the rest from short documents, changing the long"
                  + " share; the plan says where)"),
          Option.optional(
              PlanConfig.PIECE_TOKENS,
              "TOKENS",
              null,
              "piece size of the cut strategies (default "
                  + Strategy.CUT_4K.defaultPieceTokens()
                  + " / "
                  + Strategy.CUT_128K.defaultPieceTokens()
                  + ")"),
          Option.optional(
              PlanConfig.SEED,
              "S",
              Long.toString(PlanConfig.SEED_DEFAULT),
              "seed of every keyed random draw"));

  private PlanOptions() {}

  static String cli(UpsampleForm f) {
    return f.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Checks that exactly one of the budget options is given; returns whether it is a fraction. */
  public static boolean budgetIsFraction(Settings s) {
    boolean tokens = s.isSet(PlanConfig.BUDGET_TOKENS);
    boolean fraction = s.isSet(BUDGET_FRACTION);
    if (tokens == fraction) {
      throw new ConfigException(
          PlanConfig.BUDGET_TOKENS,
          s.optional(PlanConfig.BUDGET_TOKENS).orElse(null),
          "give exactly one of --budget-tokens N and --budget-fraction F");
    }
    if (fraction) {
      double f = s.fraction(BUDGET_FRACTION);
      if (f <= 0) {
        throw new ConfigException(BUDGET_FRACTION, s.string(BUDGET_FRACTION), "must be > 0");
      }
    } else {
      s.positiveLong(PlanConfig.BUDGET_TOKENS);
    }
    return fraction;
  }

  /** The budget in tokens, resolving a fraction against {@code corpusTokens}. */
  public static long budget(Settings s, long corpusTokens) {
    if (budgetIsFraction(s)) {
      long n = Math.round(s.fraction(BUDGET_FRACTION) * corpusTokens);
      if (n <= 0) {
        throw new ConfigException(
            BUDGET_FRACTION,
            s.string(BUDGET_FRACTION),
            "gives 0 tokens of a corpus of " + corpusTokens);
      }
      return n;
    }
    return s.positiveLong(PlanConfig.BUDGET_TOKENS);
  }

  /**
   * The plan configuration for {@code budget}; {@code longThreshold} is the histogram's (the plan
   * must use the threshold the histogram counted with).
   */
  public static PlanConfig parse(Settings s, long budget, long longThreshold) {
    Strategy strategy = Strategy.fromCli(s.string(PlanConfig.STRATEGY));
    PlanConfig.Builder b = PlanConfig.builder(strategy, budget).longThreshold(longThreshold);
    b.keepRate(KeepRates.parse(s.string(PlanConfig.KEEP_RATE)));
    if (s.isSet(PlanConfig.TARGET_LONG_SHARE)) {
      b.targetLongShare(number(s, PlanConfig.TARGET_LONG_SHARE));
    }
    b.domainShares(shares(s.string(PlanConfig.DOMAIN_SHARES)));
    b.upsampleDomains(s.list(PlanConfig.UPSAMPLE_DOMAINS));
    String form = s.string(PlanConfig.UPSAMPLE_FORM);
    UpsampleForm uf =
        Arrays.stream(UpsampleForm.values())
            .filter(f -> cli(f).equals(form))
            .findFirst()
            .orElseThrow(
                () ->
                    new ConfigException(
                        PlanConfig.UPSAMPLE_FORM, form, "must be joint or target-share"));
    b.upsampleForm(uf);
    if (s.isSet(PlanConfig.UPSAMPLE_WEIGHT)) {
      b.upsampleWeight(number(s, PlanConfig.UPSAMPLE_WEIGHT));
    }
    b.maxCopies(s.positiveInt(PlanConfig.MAX_COPIES));
    b.infeasible(InfeasiblePolicy.fromCli(s.string(PlanConfig.INFEASIBLE)));
    if (s.isSet(PlanConfig.PIECE_TOKENS)) {
      b.pieceTokens((int) s.nonNegativeLong(PlanConfig.PIECE_TOKENS));
    }
    String seed = s.string(PlanConfig.SEED);
    try {
      b.seed(Long.parseLong(seed));
    } catch (NumberFormatException e) {
      throw new ConfigException(PlanConfig.SEED, seed, "must be a whole number");
    }
    try {
      return b.build();
    } catch (ConfigException e) {
      if (e.key().equals(PlanConfig.DOMAIN_SHARES) || e.key().equals(PlanConfig.KEEP_RATE)) {
        // PlanConfig only sees the parsed value (or a preset's); name the value as it was typed.
        throw ConfigException.invalid(e.key(), s.string(e.key()), e.rule());
      }
      throw e;
    }
  }

  private static double number(Settings s, String key) {
    String v = s.string(key);
    try {
      double x = Double.parseDouble(v);
      if (Double.isFinite(x)) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(key, v, "must be a number");
  }

  /** A preset name or an explicit {@code A=0.5,B=0.5} map. */
  static Map<String, Double> shares(String v) {
    if (!v.contains("=")) {
      return DomainShares.preset(v);
    }
    Map<String, Double> m = new LinkedHashMap<>();
    for (String part : v.split(",")) {
      String p = part.strip();
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            PlanConfig.DOMAIN_SHARES, v, "entries must look like DOMAIN=SHARE");
      }
      try {
        m.put(p.substring(0, eq).strip(), Double.parseDouble(p.substring(eq + 1).strip()));
      } catch (NumberFormatException e) {
        throw new ConfigException(PlanConfig.DOMAIN_SHARES, v, "shares must be numbers");
      }
    }
    return m;
  }
}
