package dev.longmix.common.plan;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.histogram.LengthHistogram;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a length histogram and a configuration into a {@link Plan}.
 *
 * <p>The sampling model the plan describes: every item (a document, or a piece of one for the cut
 * strategies) belongs to a pool and a length class with rate λ; copy k of an item is drawn at time
 * t = (k + u)/λ with u uniform in [0, 1); a pool takes items in increasing t until its budget. By
 * time T an item has min(λT, K) copies in expectation (copies below ⌊λT⌋ are certain, the next one
 * has probability λT − ⌊λT⌋), so the expected output of a pool is Σ_c n_c·min(λ_c T, K) and the
 * long share of a pool with long share p and short rate r is p/(p + r(1−p)) at every budget below
 * the first cap.
 */
public final class MixturePlanner {
  // Copies per token above this count as repetition (floating-point slack on exactly one copy).
  private static final double REPEAT_EPSILON = 1e-9;

  private MixturePlanner() {}

  /**
   * Plans {@code config} over {@code histogram}.
   *
   * @throws ConfigException when the configuration does not fit the histogram
   * @throws InfeasiblePlanException when a pool cannot be filled under the infeasible policy
   */
  public static Plan plan(LengthHistogram histogram, PlanConfig config) {
    checkFits(histogram, config);
    checkKeepRates(histogram, config);
    // The recipe draws the global and cut strategies from one pool, where each domain's share is a
    // random outcome around its expectation; with book-sized items that noise is many points at
    // small budgets. We draw them stratified instead: one pool per domain whose budget is the
    // domain's expected share of the single pool, with the single pool's rates. Same expected
    // mixture and long share, but the domain shares are met exactly. The single pool is still what
    // the recipe's keep rule is checked on.
    PoolPlan single = config.strategy().budgetsPerDomain() ? null : singlePool(histogram, config);
    Map<String, Double> targets =
        single == null
            ? targetShares(histogram, config)
            : expectedShares(histogram, single, config);
    List<PoolPlan> pools =
        domainPools(histogram, config, largestRemainder(config.budgetTokens(), targets), single);
    List<DomainPlan> domains = domainPlans(histogram, config, pools, targets);
    Plan plan = new Plan(config, pools, domains);
    List<String> problems = problems(plan, single == null ? pools : List.of(single), targets);
    if (!problems.isEmpty()) {
      throw new InfeasiblePlanException(plan, problems);
    }
    return new Plan(config, byLengthClass(pools, config.maxCopies()), domains);
  }

  private static void checkFits(LengthHistogram histogram, PlanConfig config) {
    if (histogram.longThreshold() != config.longThreshold()) {
      throw ConfigException.invalid(
          PlanConfig.LONG_THRESHOLD,
          config.longThreshold(),
          "must equal the histogram's long threshold "
              + histogram.longThreshold()
              + " (long totals are exact only for the threshold they were counted with)");
    }
    if (histogram.tokens() == 0) {
      throw new IllegalArgumentException("the histogram holds no tokens; nothing to plan");
    }
  }

  /** Every domain a rate is given for must be the histogram's: a typo would else go unnoticed. */
  private static void checkKeepRates(LengthHistogram histogram, PlanConfig config) {
    for (Map.Entry<String, Double> e : config.keepRate().named().entrySet()) {
      if (!histogram.hasDomain(e.getKey())) {
        throw ConfigException.invalid(
            PlanConfig.KEEP_RATE,
            e.getKey() + "=" + e.getValue(),
            "the histogram has no domain " + e.getKey() + "; it has " + histogram.domains());
      }
    }
  }

  /** The one pool of the whole corpus, at the rates the strategy gives it. */
  private static PoolPlan singlePool(LengthHistogram histogram, PlanConfig config) {
    long longTokens = 0;
    long tokens = 0;
    long longDocs = 0;
    long docs = 0;
    for (String d : histogram.domains()) {
      longTokens += histogram.longTokens(d);
      tokens += histogram.tokens(d);
      longDocs += histogram.longDocuments(d);
      docs += histogram.documents(d);
    }
    if (!config.keepRate().isUniform()) {
      return mixedPool(histogram, config, longDocs, longTokens);
    }
    return pool(
        Plan.SINGLE_POOL,
        histogram.domains(),
        config.budgetTokens(),
        longDocs,
        longTokens,
        docs - longDocs,
        tokens - longTokens,
        shortRate(config, null, longShare(longTokens, tokens - longTokens)),
        config.maxCopies());
  }

  /**
   * The single pool of the global strategy when short documents are kept at a rate per domain: one
   * budget, long documents at rate 1, each domain's short documents at its own rate. Its short
   * class is reported as one, at the token-weighted mean rate Σ r_d·S_d / Σ S_d (the rate short
   * tokens are taken at relative to long ones while no cap binds), so the keep rule of the pool as
   * a whole, L/(L + Σ r_d·S_d), reads as p/(p + r(1−p)) of that rate.
   */
  private static PoolPlan mixedPool(
      LengthHistogram histogram, PlanConfig config, long longDocs, long longTokens) {
    int k = config.maxCopies();
    // Short tokens and documents per distinct rate: domains at one rate are one class.
    Map<Double, long[]> byRate = new TreeMap<>();
    for (String d : histogram.domains()) {
      long[] c = byRate.computeIfAbsent(config.keepRate().rate(d), r -> new long[2]);
      c[0] += histogram.tokens(d) - histogram.longTokens(d);
      c[1] += histogram.documents(d) - histogram.longDocuments(d);
    }
    List<double[]> classes = new ArrayList<>();
    classes.add(new double[] {longTokens, 1.0});
    long shortTokens = 0;
    long shortDocs = 0;
    double weighted = 0;
    for (Map.Entry<Double, long[]> e : byRate.entrySet()) {
      classes.add(new double[] {e.getValue()[0], e.getKey()});
      shortTokens += e.getValue()[0];
      shortDocs += e.getValue()[1];
      weighted += e.getKey() * e.getValue()[0];
    }
    long budget = config.budgetTokens();
    double time = expectedTime(budget, classes, k);
    double shortExpected = 0;
    double mostCopies = longTokens > 0 ? Math.min(time, k) : 0;
    for (int i = 1; i < classes.size(); i++) {
      double[] c = classes.get(i);
      double copies = Math.min(c[1] * time, k);
      shortExpected += c[0] * copies;
      if (c[0] > 0) {
        mostCopies = Math.max(mostCopies, copies);
      }
    }
    double meanRate = shortTokens == 0 ? config.keepRate().rest() : weighted / shortTokens;
    ClassPlan longClass = classPlan(LengthClass.LONG, longDocs, longTokens, 1.0, time, k);
    ClassPlan shortClass =
        new ClassPlan(
            LengthClass.SHORT,
            shortDocs,
            shortTokens,
            meanRate,
            shortExpected,
            shortTokens == 0 ? 0 : shortExpected / shortTokens);
    PoolPlan.Verdict verdict;
    long selectable = 0;
    for (double[] c : classes) {
      selectable += c[1] > 0 ? (long) c[0] : 0;
    }
    if (budget > saturatingTimes(selectable, k)) {
      verdict = PoolPlan.Verdict.INFEASIBLE;
    } else if (budget > keepRuleTokens(classes, k) + 0.5) {
      verdict = PoolPlan.Verdict.FILLS;
    } else {
      verdict = mostCopies > 1 + REPEAT_EPSILON ? PoolPlan.Verdict.REPEATS : PoolPlan.Verdict.FITS;
    }
    return new PoolPlan(
        Plan.SINGLE_POOL, histogram.domains(), budget, time, verdict, longClass, shortClass);
  }

  /**
   * The most tokens classes of (tokens, rate) give by the keep rule with at most {@code k} copies
   * each: everything drawn up to the time the fastest class reaches its cap (as {@link
   * PoolPlan#keepRuleTokens(int)} for two classes).
   */
  private static double keepRuleTokens(List<double[]> classes, int k) {
    double fastest = 0;
    for (double[] c : classes) {
      if (c[0] > 0 && c[1] > 0) {
        fastest = Math.max(fastest, c[1]);
      }
    }
    if (fastest == 0) {
      return 0;
    }
    double capTime = k / fastest;
    double n = 0;
    for (double[] c : classes) {
      if (c[1] > 0) {
        n += c[0] * Math.min(c[1] * capTime, k);
      }
    }
    return n;
  }

  /**
   * The short rate of {@code domain} inside the single pool: the pool's one rate, or the domain's
   * own when rates are given per domain.
   */
  private static double singlePoolRate(PoolPlan single, PlanConfig config, String domain) {
    return config.keepRate().isUniform()
        ? single.shortClass().rate()
        : config.keepRate().rate(domain);
  }

  /** Each domain's expected share of the single pool's output at its time T*. */
  private static Map<String, Double> expectedShares(
      LengthHistogram histogram, PoolPlan single, PlanConfig config) {
    int k = config.maxCopies();
    double time = single.expectedTime();
    Map<String, Double> expected = new TreeMap<>();
    double sum = 0;
    for (String d : histogram.domains()) {
      long dl = histogram.longTokens(d);
      long ds = histogram.tokens(d) - dl;
      double r = singlePoolRate(single, config, d);
      double e = dl * Math.min(time, k) + ds * Math.min(r * time, k);
      expected.put(d, e);
      sum += e;
    }
    Map<String, Double> targets = new TreeMap<>();
    for (String d : histogram.domains()) {
      targets.put(d, sum == 0 ? 0 : expected.get(d) / sum);
    }
    return targets;
  }

  /**
   * One pool per domain with its budget; short documents at the single pool's rate when there is
   * one, else at the rate the strategy gives the domain.
   */
  private static List<PoolPlan> domainPools(
      LengthHistogram histogram, PlanConfig config, Map<String, Long> budgets, PoolPlan single) {
    List<PoolPlan> pools = new ArrayList<>();
    for (String d : histogram.domains()) {
      long longTokens = histogram.longTokens(d);
      long shortTokens = histogram.tokens(d) - longTokens;
      double rate =
          single != null
              ? singlePoolRate(single, config, d)
              : shortRate(config, d, longShare(longTokens, shortTokens));
      pools.add(
          pool(
              d,
              List.of(d),
              budgets.get(d),
              histogram.longDocuments(d),
              longTokens,
              histogram.documents(d) - histogram.longDocuments(d),
              shortTokens,
              rate,
              config.maxCopies()));
    }
    return pools;
  }

  /** A pool of these classes with its time T* for {@code budget} and its verdict. */
  private static PoolPlan pool(
      String name,
      List<String> domains,
      long budget,
      long longDocs,
      long longTokens,
      long shortDocs,
      long shortTokens,
      double shortRate,
      int k) {
    double time = expectedTime(budget, longTokens, 1.0, shortTokens, shortRate, k);
    ClassPlan longClass = classPlan(LengthClass.LONG, longDocs, longTokens, 1.0, time, k);
    ClassPlan shortClass = classPlan(LengthClass.SHORT, shortDocs, shortTokens, shortRate, time, k);
    return new PoolPlan(
        name,
        domains,
        budget,
        time,
        verdict(budget, longClass, shortClass, k),
        longClass,
        shortClass);
  }

  /** Per domain: its classes at its pool's rates and time, its target and expected share. */
  private static List<DomainPlan> domainPlans(
      LengthHistogram histogram,
      PlanConfig config,
      List<PoolPlan> pools,
      Map<String, Double> targets) {
    List<DomainPlan> out = new ArrayList<>();
    for (PoolPlan pool : pools) {
      String d = pool.domains().get(0);
      double expected = pool.longClass().expectedTokens() + pool.shortClass().expectedTokens();
      out.add(
          new DomainPlan(
              d,
              pool.pool(),
              histogram.tokenShare(d),
              targets.get(d),
              pool.longClass(),
              pool.shortClass(),
              expected / config.budgetTokens()));
    }
    return out;
  }

  private static double longShare(long longTokens, long shortTokens) {
    return longTokens + shortTokens == 0 ? 0 : (double) longTokens / (longTokens + shortTokens);
  }

  /**
   * Splits each domain's pool into one pool per length class, with budgets in the proportion of the
   * classes' expected tokens. Drawn together, the long share of a domain is a random outcome whose
   * noise, with items of 100K+ tokens, exceeds a point at practical budgets; drawn per class it is
   * the planned share exactly. Within a class the draw is unchanged: the same keyed times, the same
   * rates, so every document of a class has the same chance as before.
   */
  static List<PoolPlan> byLengthClass(List<PoolPlan> pools, int k) {
    List<PoolPlan> out = new ArrayList<>();
    for (PoolPlan p : pools) {
      double el = p.longClass().expectedTokens();
      double es = p.shortClass().expectedTokens();
      Map<String, Double> w = new TreeMap<>();
      w.put(LengthClass.LONG.name(), el);
      w.put(LengthClass.SHORT.name(), es);
      Map<String, Long> budgets =
          el + es > 0
              ? largestRemainder(p.budgetTokens(), w)
              : Map.of(LengthClass.LONG.name(), 0L, LengthClass.SHORT.name(), 0L);
      for (LengthClass c : LengthClass.values()) {
        ClassPlan cp = p.classPlan(c);
        if (cp.tokensAvailable() == 0) {
          continue; // no document of this class can ask for this pool
        }
        long budget = budgets.get(c.name());
        double time = expectedTime(budget, cp.tokensAvailable(), cp.rate(), 0, cp.rate(), k);
        ClassPlan drawn = classPlan(c, cp.documents(), cp.tokensAvailable(), cp.rate(), time, k);
        ClassPlan none =
            new ClassPlan(
                c == LengthClass.LONG ? LengthClass.SHORT : LengthClass.LONG,
                0,
                0,
                cp.rate(),
                0,
                0);
        ClassPlan longClass = c == LengthClass.LONG ? drawn : none;
        ClassPlan shortClass = c == LengthClass.LONG ? none : drawn;
        out.add(
            new PoolPlan(
                Plan.classPool(p.pool(), c),
                p.domains(),
                budget,
                time,
                verdict(budget, longClass, shortClass, k),
                longClass,
                shortClass));
      }
    }
    return out;
  }

  /**
   * The short-document rate of a pool of {@code domain} (null: the whole corpus, where the rate is
   * one for all) whose long share is {@code p}: 1 for the cut strategies, the domain's r, or min(1,
   * p(1−τ)/(τ(1−p))) when a target long share τ is set.
   */
  static double shortRate(PlanConfig config, String domain, double p) {
    if (config.strategy().cutsDocuments()) {
      return 1.0;
    }
    Double tau = config.targetLongShare();
    if (tau == null) {
      return domain == null ? config.keepRate().rest() : config.keepRate().rate(domain);
    }
    if (p >= 1) {
      return 1.0; // no short tokens: the rate is irrelevant
    }
    return Math.min(1.0, p * (1 - tau) / (tau * (1 - p)));
  }

  /**
   * Solves Σ_c n_c·min(λ_c T, K) = budget for T over two classes; when the budget exceeds the cap,
   * returns the horizon K/λ_min (every copy drawn).
   */
  static double expectedTime(
      long budget, long longTokens, double longRate, long shortTokens, double shortRate, int k) {
    return expectedTime(
        budget,
        List.of(new double[] {longTokens, longRate}, new double[] {shortTokens, shortRate}),
        k);
  }

  /**
   * Solves Σ_c n_c·min(λ_c T, K) = budget for T over classes of (tokens n_c, rate λ_c); when the
   * budget exceeds the cap, returns the horizon K/λ_min (every copy drawn).
   */
  static double expectedTime(long budget, List<double[]> tokensAndRates, int k) {
    // (breakpoint K/λ, slope n·λ) of each class that can contribute.
    List<double[]> classes = new ArrayList<>();
    for (double[] c : tokensAndRates) {
      long tokens = (long) c[0];
      double rate = c[1];
      if (tokens > 0 && rate > 0) {
        classes.add(new double[] {k / rate, tokens * rate});
      }
    }
    if (budget == 0 || classes.isEmpty()) {
      return 0;
    }
    classes.sort(Comparator.comparingDouble(c -> c[0]));
    double slope = classes.stream().mapToDouble(c -> c[1]).sum();
    double t = 0;
    double filled = 0;
    for (double[] c : classes) {
      double atBreak = filled + slope * (c[0] - t);
      if (atBreak >= budget) {
        return t + (budget - filled) / slope;
      }
      t = c[0];
      filled = atBreak;
      slope -= c[1];
    }
    return t;
  }

  private static ClassPlan classPlan(
      LengthClass c, long docs, long tokens, double rate, double time, int k) {
    // An empty class has no copies; reporting min(λT, K) for it would read as repetition.
    double copies = tokens == 0 ? 0 : Math.min(rate * time, k);
    return new ClassPlan(c, docs, tokens, rate, tokens * copies, copies);
  }

  private static PoolPlan.Verdict verdict(long budget, ClassPlan longC, ClassPlan shortC, int k) {
    long selectable =
        (longC.rate() > 0 ? longC.tokensAvailable() : 0)
            + (shortC.rate() > 0 ? shortC.tokensAvailable() : 0);
    if (budget > saturatingTimes(selectable, k)) {
      return PoolPlan.Verdict.INFEASIBLE;
    }
    // Half a token of slack: the rule's yield is a product of doubles, the budget an integer.
    if (budget > PoolPlan.keepRuleTokens(longC, shortC, k) + 0.5) {
      return PoolPlan.Verdict.FILLS;
    }
    double maxCopies = 0;
    for (ClassPlan c : List.of(longC, shortC)) {
      if (c.tokensAvailable() > 0) {
        maxCopies = Math.max(maxCopies, c.meanCopies());
      }
    }
    return maxCopies > 1 + REPEAT_EPSILON ? PoolPlan.Verdict.REPEATS : PoolPlan.Verdict.FITS;
  }

  private static long saturatingTimes(long a, int k) {
    return a > Long.MAX_VALUE / k ? Long.MAX_VALUE : a * k;
  }

  /**
   * What stops {@code plan} under its infeasible policy, one sentence per pool of {@code checked}
   * (the domains' pools, or the one pool of a single-pool strategy).
   */
  private static List<String> problems(
      Plan plan, List<PoolPlan> checked, Map<String, Double> targets) {
    PlanConfig config = plan.config();
    List<String> out = new ArrayList<>();
    int beyond = 0;
    double mostBudget = Double.POSITIVE_INFINITY;
    for (PoolPlan p : checked) {
      switch (p.verdict()) {
        case INFEASIBLE -> out.add(overCap(p, config));
        case FILLS -> {
          if (config.infeasible() != InfeasiblePolicy.FILL_SHORT) {
            out.add(beyondKeepRule(p, config, targets));
            beyond++;
            mostBudget =
                Math.min(mostBudget, p.keepRuleTokens(config.maxCopies()) / share(p, targets));
          }
        }
        case REPEATS -> {
          if (!config.infeasible().repeats()) {
            out.add(
                head(p, config)
                    + String.format(
                        Locale.ROOT,
                        ": filling it takes long documents %.2f times each on average; set %s ="
                            + " repeat to allow that, or lower %s or the share",
                        p.longClass().meanCopies(),
                        PlanConfig.INFEASIBLE,
                        PlanConfig.BUDGET_TOKENS));
          }
        }
        case FITS -> {}
      }
    }
    if (beyond > 1) {
      out.add(
          String.format(
              Locale.ROOT,
              "at these shares, keep rate and cap every domain fits with %s at most %,d",
              PlanConfig.BUDGET_TOKENS,
              (long) Math.floor(mostBudget)));
    }
    return out;
  }

  /** The share of the whole budget that pool {@code p} receives. */
  private static double share(PoolPlan p, Map<String, Double> targets) {
    return p.pool().equals(Plan.SINGLE_POOL) ? 1.0 : targets.getOrDefault(p.pool(), 1.0);
  }

  private static String where(PoolPlan p) {
    return p.pool().equals(Plan.SINGLE_POOL) ? "the single pool" : "domain " + p.pool();
  }

  private static String head(PoolPlan p, PlanConfig config) {
    long once = p.selectableTokens();
    return String.format(
        Locale.ROOT,
        "%s needs %,d tokens; %,d exist to be taken once (long %,d at rate 1, short %,d at"
            + " rate %.4f), %,d with %s = %d",
        where(p),
        p.budgetTokens(),
        once,
        p.longClass().tokensAvailable(),
        p.shortClass().tokensAvailable(),
        p.shortClass().rate(),
        saturatingTimes(once, config.maxCopies()),
        PlanConfig.MAX_COPIES,
        config.maxCopies());
  }

  private static String overCap(PoolPlan p, PlanConfig config) {
    long once = p.selectableTokens();
    return head(p, config)
        + String.format(
            Locale.ROOT,
            ": raise %s to at least %d with %s = repeat, lower %s, or lower the share",
            PlanConfig.MAX_COPIES,
            once == 0 ? 1 : (p.budgetTokens() + once - 1) / once,
            PlanConfig.INFEASIBLE,
            PlanConfig.BUDGET_TOKENS);
  }

  /**
   * The budget is more than the keep rule gives at this rate and cap: every long document is taken
   * {@code max-copies} times while short ones are still being kept at rate r. Names the most the
   * pool can give, the long share the rest would cost, and each setting that would make it fit.
   */
  private static String beyondKeepRule(PoolPlan p, PlanConfig config, Map<String, Double> targets) {
    int k = config.maxCopies();
    long budget = p.budgetTokens();
    ClassPlan lc = p.longClass();
    ClassPlan sc = p.shortClass();
    double most = p.keepRuleTokens(k);
    // The rule's yield is linear in the cap: K times what it gives with one copy each.
    long copiesNeeded = (long) Math.ceil(budget / p.keepRuleTokens(1));
    double formula = formulaLongShare(lc.tokensAvailable(), sc.tokensAvailable(), sc.rate());
    // The short rate at which long documents taken K times and short ones at that rate meet B.
    double rateNeeded =
        (budget - (double) lc.tokensAvailable() * k) / ((double) sc.tokensAvailable() * k);
    String what;
    String lever;
    if (config.targetLongShare() != null) {
      what =
          String.format(
              Locale.ROOT,
              "its target long share %.4f cannot be reached",
              config.targetLongShare());
      lever =
          String.format(
              Locale.ROOT,
              "%s at most %.4f",
              PlanConfig.TARGET_LONG_SHARE,
              formulaLongShare(lc.tokensAvailable(), sc.tokensAvailable(), rateNeeded));
    } else {
      what = "the keep rule cannot fill it";
      String which;
      if (config.keepRate().isUniform()) {
        which = "";
      } else if (p.pool().equals(Plan.SINGLE_POOL)) {
        // The single pool's short rate is then the domains' rates' token-weighted mean.
        which = " for every domain";
      } else {
        which = " for " + p.pool();
      }
      lever =
          String.format(Locale.ROOT, "%s at least %.4f%s", PlanConfig.KEEP_RATE, rateNeeded, which);
    }
    double share = share(p, targets);
    return String.format(
        Locale.ROOT,
        "%s needs %,d tokens but %s: at keep rate %.4f with %s = %d it gives at most %,.0f (long"
            + " %,d tokens x %d, short %,d x %.4f x %d); the rest could only come from short"
            + " documents, lowering its long share from %.4f to %.4f. It fits with %s at most %,d"
            + " (its share is %.4f), %s, %s at least %d with %s = repeat, or %s = %s to take the"
            + " rest from short documents",
        where(p),
        budget,
        what,
        sc.rate(),
        PlanConfig.MAX_COPIES,
        k,
        most,
        lc.tokensAvailable(),
        k,
        sc.tokensAvailable(),
        sc.rate(),
        k,
        formula,
        p.expectedLongShare(),
        PlanConfig.BUDGET_TOKENS,
        (long) Math.floor(most / share),
        share,
        lever,
        PlanConfig.MAX_COPIES,
        copiesNeeded,
        PlanConfig.INFEASIBLE,
        PlanConfig.INFEASIBLE,
        InfeasiblePolicy.FILL_SHORT.cliName());
  }

  /**
   * The long share the keep rule gives a pool of {@code longTokens} and {@code shortTokens} when
   * short documents are kept at {@code rate}: p/(p + r(1−p)).
   */
  public static double formulaLongShare(long longTokens, long shortTokens, double rate) {
    double all = (double) longTokens + shortTokens;
    if (all == 0) {
      return 0;
    }
    double p = longTokens / all;
    double denominator = p + rate * (1 - p);
    return denominator == 0 ? 0 : p / denominator;
  }

  /** Target share per histogram domain: shares or the corpus's own, then the domain upsampling. */
  private static Map<String, Double> targetShares(LengthHistogram histogram, PlanConfig config) {
    Map<String, Double> natural = new TreeMap<>();
    for (String d : histogram.domains()) {
      natural.put(d, histogram.tokenShare(d));
    }
    Map<String, Double> base = new TreeMap<>();
    if (config.domainShares().isEmpty()) {
      base.putAll(natural);
    } else {
      for (Map.Entry<String, Double> e : config.domainShares().entrySet()) {
        if (e.getValue() > 0 && !histogram.hasDomain(e.getKey())) {
          throw ConfigException.invalid(
              PlanConfig.DOMAIN_SHARES,
              e.getKey() + "=" + e.getValue(),
              "the histogram has no domain " + e.getKey() + "; it has " + histogram.domains());
        }
      }
      // A domain the shares leave out gets no budget.
      for (String d : natural.keySet()) {
        base.put(d, config.domainShares().getOrDefault(d, 0.0));
      }
    }
    if (config.strategy() != Strategy.DOMAIN) {
      return normalised(base);
    }
    for (String d : config.upsampleDomains()) {
      if (!histogram.hasDomain(d)) {
        throw ConfigException.invalid(
            PlanConfig.UPSAMPLE_DOMAINS,
            config.upsampleDomains(),
            "the histogram has no domain " + d + "; it has " + histogram.domains());
      }
    }
    Map<String, Double> raised = new TreeMap<>(base);
    if (config.upsampleForm() == UpsampleForm.JOINT) {
      config.upsampleDomains().forEach(d -> raised.put(d, config.upsampleWeight()));
      return normalised(raised);
    }
    String chosen = config.upsampleDomains().get(0);
    double others =
        base.entrySet().stream()
            .filter(e -> !e.getKey().equals(chosen))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    if (others <= 0) {
      throw ConfigException.invalid(
          PlanConfig.UPSAMPLE_DOMAINS,
          chosen,
          "the target-share form needs other domains with a positive share to fill the rest");
    }
    double x = config.upsampleWeight();
    base.forEach((d, w) -> raised.put(d, d.equals(chosen) ? x : (1 - x) * w / others));
    return raised;
  }

  private static Map<String, Double> normalised(Map<String, Double> raw) {
    double sum = raw.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> out = new TreeMap<>();
    raw.forEach((d, w) -> out.put(d, w / sum));
    return out;
  }

  /**
   * Splits {@code total} over domains in proportion to {@code shares} with the largest-remainder
   * method, so that the parts sum to {@code total} exactly; ties go to the earlier name.
   */
  static Map<String, Long> largestRemainder(long total, Map<String, Double> shares) {
    Map<String, Double> w = normalised(shares);
    Map<String, Long> out = new TreeMap<>();
    List<Map.Entry<String, Double>> fractions = new ArrayList<>();
    long assigned = 0;
    for (Map.Entry<String, Double> e : w.entrySet()) {
      double exact = total * e.getValue();
      long floor = (long) Math.floor(exact);
      out.put(e.getKey(), floor);
      assigned += floor;
      if (e.getValue() > 0) {
        fractions.add(Map.entry(e.getKey(), exact - floor));
      }
    }
    fractions.sort(
        Map.Entry.<String, Double>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    long remainder = total - assigned;
    // Floating-point rounding can leave the remainder outside [0, domains); cycling handles both.
    for (int i = 0; remainder != 0 && !fractions.isEmpty(); i++) {
      String d = fractions.get(i % fractions.size()).getKey();
      long step = remainder > 0 ? 1 : -1;
      if (out.get(d) + step >= 0) {
        out.put(d, out.get(d) + step);
        remainder -= step;
      }
    }
    return out;
  }
}
