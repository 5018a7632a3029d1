package dev.longmix.common.pack;

import dev.longmix.common.histogram.LengthBins;
import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.common.plan.ClassPlan;
import dev.longmix.common.plan.DomainPlan;
import dev.longmix.common.plan.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a pack produced against what its plan promised: the one value the manifest, the console
 * summary and the report page render.
 *
 * @param plan the plan the selection followed
 * @param fig2 the histogram the plan was made from, for the planned share of each Fig. 2 bin
 * @param packing row length and tail policy
 * @param tally the selected items, counted
 * @param layout how they became rows
 * @param contentDigest the rows' content digest (hex), as the pack computed it
 */
public record PackOutcome(
    Plan plan,
    LengthHistogram fig2,
    PackingConfig packing,
    PackTally tally,
    RowLayout layout,
    String contentDigest) {

  /** One domain: its shares of the output and the long share inside it, planned and achieved. */
  public record DomainOutcome(
      String domain,
      double targetShare,
      double plannedShare,
      double achievedShare,
      long achievedTokens,
      double keepRate,
      double effectiveKeepRate,
      double formulaLongShare,
      double plannedLongShare,
      double achievedLongShare,
      long achievedLongTokens,
      boolean followsKeepRule) {

    /**
     * Whether the plan filled this domain past the keep rule (its long share is not p/(p +
     * r(1−p))).
     */
    public boolean departsFromKeepRule() {
      return !followsKeepRule;
    }
  }

  /** One Fig. 2 bin: its planned and achieved share of the output's tokens. */
  public record BinOutcome(
      String label, double plannedShare, double achievedShare, long achievedTokens) {}

  /** Target versus achieved per domain, per Fig. 2 bin and for the long share: the manifest's. */
  public record Report(
      Map<String, DomainOutcome> domains,
      Map<String, BinOutcome> fig2Bins,
      double plannedLongShare,
      double achievedLongShare,
      long maxItemTokens,
      double granularityPoints,
      long budgetTokens,
      long selectedTokens) {}

  /** Per domain of the plan, by name. */
  public List<DomainOutcome> domains() {
    List<DomainOutcome> out = new ArrayList<>();
    long all = tally.tokens();
    for (DomainPlan d : plan.domains()) {
      long t = tally.domainTokens().getOrDefault(d.domain(), 0L);
      long lt = tally.domainLongTokens().getOrDefault(d.domain(), 0L);
      out.add(
          new DomainOutcome(
              d.domain(),
              d.targetShare(),
              d.expectedShare(),
              share(t, all),
              t,
              d.shortClass().rate(),
              d.effectiveKeepRate(),
              d.formulaLongShare(),
              d.expectedLongShare(),
              share(lt, t),
              lt,
              d.followsKeepRule()));
    }
    return out;
  }

  /**
   * Planned share per Fig. 2 bin: each class's expected tokens spread over its bins in proportion
   * to the tokens the bins hold, since selection is uniform within a class. A bin counts as long
   * when its lower edge is at or above the long threshold (exact for the default 4,096, an edge).
   */
  public double[] plannedBinShares() {
    LengthBins bins = fig2.bins();
    double[] out = new double[bins.count()];
    double total = 0;
    for (DomainPlan d : plan.domains()) {
      for (int b = 0; b < bins.count(); b++) {
        boolean isLong = bins.lowerExclusive(b) >= plan.config().longThreshold();
        ClassPlan c = isLong ? d.longClass() : d.shortClass();
        if (c.tokensAvailable() > 0) {
          double e = c.expectedTokens() * fig2.tokens(d.domain(), b) / c.tokensAvailable();
          out[b] += e;
          total += e;
        }
      }
    }
    for (int b = 0; b < out.length; b++) {
      out[b] = total == 0 ? 0 : out[b] / total;
    }
    return out;
  }

  /** Selected tokens per Fig. 2 bin of the items' documents. */
  public long[] achievedBinTokens() {
    return tally.binTokens();
  }

  /** Per Fig. 2 bin, planned and achieved. */
  public List<BinOutcome> bins() {
    LengthBins bins = LengthBins.fig2();
    double[] planned = plannedBinShares();
    long[] achieved = tally.binTokens();
    List<BinOutcome> out = new ArrayList<>();
    for (int b = 0; b < bins.count(); b++) {
      out.add(
          new BinOutcome(
              bins.label(b), planned[b], share(achieved[b], tally.tokens()), achieved[b]));
    }
    return out;
  }

  public double plannedLongShare() {
    return plan.expectedLongShare();
  }

  public double achievedLongShare() {
    return share(tally.longTokens(), tally.tokens());
  }

  /**
   * How far, in share points, one draw can sit from the plan's expectation because items come
   * whole: 100·sqrt(Σ t_i²)/N over the selected items, the standard deviation of a share whose
   * items were each included by a fair coin. A few book-length items make it large; then the
   * achieved shares of draws without per-class budgets vary with the seed by about this much.
   * Domain and long shares are drawn per (domain, length class) pool and so are exact; the Fig. 2
   * bins inside a class are not, and this is their scale of variation.
   */
  public double granularityPoints() {
    return tally.tokens() == 0 ? 0 : 100 * Math.sqrt(tally.sumSquares()) / tally.tokens();
  }

  /** The manifest's {@code report}. */
  public Report report() {
    Map<String, DomainOutcome> domains = new LinkedHashMap<>();
    domains().forEach(d -> domains.put(d.domain(), d));
    Map<String, BinOutcome> bins = new LinkedHashMap<>();
    bins().forEach(b -> bins.put(b.label(), b));
    return new Report(
        domains,
        bins,
        plannedLongShare(),
        achievedLongShare(),
        tally.maxItemTokens(),
        granularityPoints(),
        budgetTokens(),
        selectedTokens());
  }

  public String strategy() {
    return plan.config().strategy().cliName();
  }

  public int seqLen() {
    return packing.seqLen();
  }

  /** Tokens per training batch, the unit the recipe states budgets in. */
  public long batchTokens() {
    return Plan.BATCH_TOKENS_DEFAULT;
  }

  public long budgetTokens() {
    return plan.budgetTokens();
  }

  public long selectedTokens() {
    return tally.tokens();
  }

  /** The tail policy's command-line spelling. */
  public String tail() {
    return packing.tail().name().toLowerCase(Locale.ROOT);
  }

  /** Rows written. */
  public long rows() {
    return layout.rows();
  }

  /** Selected tokens not written because the partial row was dropped. */
  public long droppedTailTokens() {
    return layout.droppedTailTokens();
  }

  /** Pad tokens written, over all rows. */
  public long padTokens() {
    return layout.padTokens();
  }

  /** Tokens written, padding included. */
  public long outputTokens() {
    return layout.outputTokens();
  }

  /** The output in training batches of {@link #batchTokens()}. */
  public double batches() {
    return outputTokens() / (double) batchTokens();
  }

  public long items() {
    return tally.items();
  }

  public long repeatedItems() {
    return tally.repeatedItems();
  }

  public long repeatedTokens() {
    return tally.repeatedTokens();
  }

  public int maxCopy() {
    return tally.maxCopy();
  }

  public long maxItemTokens() {
    return tally.maxItemTokens();
  }

  /** The console's target-versus-achieved table. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        f(
            "%-24s %8s %8s %8s %8s %16s%n",
            "domain", "target", "planned", "achieved", "diff pt", "tokens"));
    List<DomainOutcome> domains = domains();
    for (DomainOutcome d : domains) {
      sb.append(
          f(
              "%-24s %8.4f %8.4f %8.4f %+8.3f %,16d%n",
              d.domain(),
              d.targetShare(),
              d.plannedShare(),
              d.achievedShare(),
              100 * (d.achievedShare() - d.plannedShare()),
              d.achievedTokens()));
    }
    double al = achievedLongShare();
    sb.append(
        f(
            "%-24s %8s %8.4f %8.4f %+8.3f %,16d%n",
            "long (>" + plan.config().longThreshold() + ")",
            "",
            plannedLongShare(),
            al,
            100 * (al - plannedLongShare()),
            tally.longTokens()));
    // Per domain, the "target" column is the keep rule's long share p/(p + r(1−p)); a plan that
    // filled a domain past the rule (fill-short) is marked where it differs from the plan.
    sb.append(f("%-24s (target: the keep rule's p/(p + r(1-p)))%n", "long share per domain"));
    for (DomainOutcome d : domains) {
      sb.append(
          f(
              "%-24s %8.4f %8.4f %8.4f %+8.3f %,16d%s%n",
              "  long in " + shortName(d.domain()),
              d.formulaLongShare(),
              d.plannedLongShare(),
              d.achievedLongShare(),
              100 * (d.achievedLongShare() - d.plannedLongShare()),
              d.achievedLongTokens(),
              d.followsKeepRule()
                  ? ""
                  : f(" keep rate %.4f -> %.4f", d.keepRate(), d.effectiveKeepRate())));
    }
    for (BinOutcome b : bins()) {
      sb.append(
          f(
              "%-24s %8s %8.4f %8.4f %+8.3f %,16d%n",
              "bin " + b.label(),
              "",
              b.plannedShare(),
              b.achievedShare(),
              100 * (b.achievedShare() - b.plannedShare()),
              b.achievedTokens()));
    }
    sb.append(
        f(
            "%-24s %,d of budget %,d; largest item %,d tokens; bin shares vary ±%.2f points"
                + " by seed%n",
            "selected tokens",
            tally.tokens(),
            budgetTokens(),
            tally.maxItemTokens(),
            granularityPoints()));
    return sb.toString();
  }

  /** The console's summary of what was written, after {@code seconds} in the job. */
  public String summaryLine(double seconds) {
    String line =
        f(
            "[pack] %,d rows of %,d tokens (%,.1f batches of 4M); %,d items, %,d repeated (max"
                + " copy %d); tail: %,d tokens dropped, %,d pad tokens; digest %s; %.1fs%n",
            rows(),
            seqLen(),
            batches(),
            items(),
            repeatedItems(),
            maxCopy(),
            droppedTailTokens(),
            padTokens(),
            contentDigest,
            seconds);
    String rowsLine =
        f(
            "[pack] %s packing: padding %.3f%% of row tokens (%.3f%% not counting the partial"
                + " row), %,d items cut across rows, %.2f items per row%n",
            layout.mode().cliName(),
            100 * layout.padShare(),
            100 * layout.padShareWithoutTail(),
            layout.documentsCut(),
            layout.itemsPerRow());
    String note = "";
    if (rows() == 0 && tally.tokens() > 0) {
      note =
          f(
              "[pack] note: no row written: the %,d selected tokens fill no row of %,d; the"
                  + " partial row was dropped (--tail pad keeps it)%n",
              tally.tokens(), seqLen());
    } else if (layout.padShare() > 0.5) {
      note =
          f(
              "[pack] note: most of the rows' tokens are padding (%.1f%%): the selection is small"
                  + " next to --seq-len %,d (largest item %,d tokens)%n",
              100 * layout.padShare(), seqLen(), tally.maxItemTokens());
    }
    return line + rowsLine + note;
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0 : part / (double) whole;
  }

  /** SlimPajama's set names without their common prefix, so the table keeps its columns. */
  private static String shortName(String domain) {
    return domain.startsWith("RedPajama") && domain.length() > 9 ? domain.substring(9) : domain;
  }

  // Locale.ROOT: tests run under tr_TR, and the summary must not change with the driver's locale.
  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
