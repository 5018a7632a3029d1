package dev.longmix.common.plan;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a mixture run will do, computed from the histogram before any document is read again: pools
 * with budgets and rates, and the expected outcome per domain and length class.
 *
 * <p>The selection stage draws copy k of an item at time t = (k + u)/λ and fills each pool in
 * increasing t; {@link ClassPlan#expectedTokens()} is the expectation of that process, so this plan
 * is the report's "target" side.
 *
 * @param config the configuration it was made from
 * @param pools the budget pools, one per domain (single-pool strategies are drawn stratified)
 * @param domains every domain of the histogram, sorted by name
 */
public record Plan(PlanConfig config, List<PoolPlan> pools, List<DomainPlan> domains)
    implements Serializable {

  /** Name of the one pool of the global and cut strategies. */
  public static final String SINGLE_POOL = "*";

  /** The pool a domain's documents of one length class draw from: {@code domain/long}. */
  public static String classPool(String domainPool, LengthClass c) {
    return domainPool + "/" + c.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Tokens per packed row in the paper's 80K setting. */
  public static final long ROW_TOKENS_DEFAULT = 81_920;

  /** Tokens per training batch; decimal 4M, so that 5B tokens is 1,250 steps as in the recipe. */
  public static final long BATCH_TOKENS_DEFAULT = 4_000_000;

  public Plan {
    pools = List.copyOf(pools);
    domains = List.copyOf(domains);
  }

  /** The pool named {@code name}. */
  public Optional<PoolPlan> pool(String name) {
    return pools.stream().filter(p -> p.pool().equals(name)).findFirst();
  }

  /** The plan of {@code domain}; empty for a domain the histogram did not contain. */
  public Optional<DomainPlan> domain(String name) {
    return domains.stream().filter(d -> d.domain().equals(name)).findFirst();
  }

  /** Output tokens: the sum of pool budgets, equal to the configured budget. */
  public long budgetTokens() {
    return pools.stream().mapToLong(PoolPlan::budgetTokens).sum();
  }

  /** Expected share of long-document tokens in the whole output. */
  public double expectedLongShare() {
    double longTokens = domains.stream().mapToDouble(d -> d.longClass().expectedTokens()).sum();
    double all = domains.stream().mapToDouble(DomainPlan::expectedTokens).sum();
    return all == 0 ? 0 : longTokens / all;
  }

  /** {@link #toTable(long, long)} with 81,920-token rows and 4M-token batches. */
  public String toTable() {
    return toTable(ROW_TOKENS_DEFAULT, BATCH_TOKENS_DEFAULT);
  }

  /** A plain-text table of the plan, meant to be read before a cluster run. */
  public String toTable(long rowTokens, long batchTokens) {
    StringBuilder sb = new StringBuilder();
    long n = budgetTokens();
    sb.append(
        f(
            "strategy %s, budget %,d tokens = %,.1f rows of %,d = %,.1f batches of %,d%n",
            config.strategy().cliName(),
            n,
            (double) n / rowTokens,
            rowTokens,
            (double) n / batchTokens,
            batchTokens));
    sb.append(
        f(
            "long = more than %,d tokens; max-copies %d; infeasible %s; piece-tokens %s; seed %d%n",
            config.longThreshold(),
            config.maxCopies(),
            config.infeasible().cliName(),
            config.pieceTokens() == 0 ? "whole documents" : f("%,d", config.pieceTokens()),
            config.seed()));
    sb.append(f("expected long share %.3f%n%n", expectedLongShare()));

    sb.append(
        f("%-24s %18s %8s %12s %10s %9s%n", "pool", "budget", "rate", "T*", "long", "verdict"));
    for (PoolPlan p : pools) {
      sb.append(
          f(
              "%-24s %,18d %8.4f %12.6g %10.3f %9s%n",
              p.pool(),
              p.budgetTokens(),
              p.drawRate(),
              p.expectedTime(),
              p.expectedLongShare(),
              p.verdict()));
    }
    sb.append('\n');
    if (!config.strategy().cutsDocuments()) {
      keepRuleTable(sb);
    }

    sb.append(
        f(
            "%-24s %-5s %18s %8s %18s %7s %8s %8s%n",
            "domain", "class", "available", "rate", "expected", "copies", "share", "target"));
    double totalExpected = 0;
    long totalAvailable = 0;
    for (DomainPlan d : domains) {
      for (ClassPlan c : List.of(d.longClass(), d.shortClass())) {
        sb.append(
            f(
                "%-24s %-5s %,18d %8.4f %,18.0f %7.3f%n",
                d.domain(),
                c.lengthClass().name().toLowerCase(Locale.ROOT),
                c.tokensAvailable(),
                c.rate(),
                c.expectedTokens(),
                c.meanCopies()));
        totalAvailable += c.tokensAvailable();
      }
      totalExpected += d.expectedTokens();
      sb.append(
          f(
              "%-24s %-5s %,18d %8s %,18.0f %7s %8.4f %8.4f%n",
              d.domain(),
              "all",
              d.longClass().tokensAvailable() + d.shortClass().tokensAvailable(),
              "",
              d.expectedTokens(),
              "",
              d.expectedShare(),
              d.targetShare()));
    }
    sb.append(
        f(
            "%-24s %-5s %,18d %8s %,18.0f %7s %8.4f %8.4f%n",
            "total", "all", totalAvailable, "", totalExpected, "", 1.0, 1.0));
    sb.append(
        f(
            "output: %,.1f rows of %,d tokens, %,.1f batches of %,d tokens%n",
            (double) n / rowTokens, rowTokens, (double) n / batchTokens, batchTokens));
    return sb.toString();
  }

  /**
   * Per domain: the keep rule's promise p/(p + r(1−p)) next to the long share the plan gives and
   * the rate short documents are really taken at, flagging every domain where they differ.
   */
  private void keepRuleTable(StringBuilder sb) {
    Double tau = config.targetLongShare();
    sb.append(
        f(
            "keep rule: long share p/(p + r(1-p)) of a domain whose input long share is p, short"
                + " documents kept at rate r%s%n",
            tau == null
                ? f(" = %s", config.keepRate().describe())
                : f(" solved for target-long-share %.4f", tau)));
    sb.append(
        f(
            "%-24s %8s %8s %9s %8s %8s  %s%n",
            "domain", "p", "rate", "eff.rate", "formula", "planned", "note"));
    int departures = 0;
    for (DomainPlan d : domains) {
      String note = "";
      if (!d.followsKeepRule()) {
        departures++;
        note =
            f(
                "DIFFERS: every long document taken %d time(s), the rest from short ones%s",
                config.maxCopies(),
                config.infeasible() == InfeasiblePolicy.FILL_SHORT
                    ? ""
                    : f(" (not allowed under infeasible = %s)", config.infeasible().cliName()));
      } else if (tau != null && d.expectedTokens() > 0 && d.formulaLongShare() > tau + 1e-6) {
        note =
            "above the target: the input's long share already exceeds it (long documents are all kept)";
      }
      String line =
          f(
              "%-24s %8.4f %8.4f %9.4f %8.4f %8.4f  %s",
              d.domain(),
              d.naturalLongShare(),
              d.shortClass().rate(),
              d.effectiveKeepRate(),
              d.formulaLongShare(),
              d.expectedLongShare(),
              note);
      sb.append(line.stripTrailing()).append(f("%n"));
    }
    if (!config.strategy().budgetsPerDomain() && !domains.isEmpty()) {
      // The recipe's global strategy promises the formula for its one pool as a whole.
      long lt = 0;
      long st = 0;
      double le = 0;
      double se = 0;
      for (DomainPlan d : domains) {
        lt += d.longClass().tokensAvailable();
        st += d.shortClass().tokensAvailable();
        le += d.longClass().expectedTokens();
        se += d.shortClass().expectedTokens();
      }
      // Under rates per domain the pool's short tokens are taken at their token-weighted mean.
      double rate = domains.get(0).shortClass().rate();
      if (!config.keepRate().isUniform() && st > 0) {
        double weighted = 0;
        for (DomainPlan d : domains) {
          weighted += d.shortClass().rate() * d.shortClass().tokensAvailable();
        }
        rate = weighted / st;
      }
      double formula = MixturePlanner.formulaLongShare(lt, st, rate);
      double planned = expectedLongShare();
      // The domains' budgets are whole tokens: each moves the planned share by up to 1/N.
      boolean differs =
          Math.abs(formula - planned) > Math.max(1e-6, (double) domains.size() / budgetTokens());
      sb.append(
          f(
                  "%-24s %8.4f %8.4f %9.4f %8.4f %8.4f  %s",
                  "all (one pool)",
                  lt + st == 0 ? 0 : (double) lt / (lt + st),
                  rate,
                  lt == 0 || st == 0 || le == 0 ? rate : (se / st) / (le / lt),
                  formula,
                  planned,
                  differs ? "DIFFERS" : "")
              .stripTrailing());
      sb.append(f("%n"));
    }
    sb.append(
        departures == 0
            ? f("every domain gets the keep rule's long share%n%n")
            : f(
                "%d domain(s) differ from the keep rule's long share (see DIFFERS above)%n%n",
                departures));
  }

  // Locale.ROOT: tests run under tr_TR, and a manifest must not change with the driver's locale.
  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
