package dev.longmix.common.report;

import dev.longmix.common.pack.PackOutcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@code report.html}: one self-contained page (inline CSS and SVG, no scripts, nothing
 * fetched) with the corpus's domain mix and Fig. 2 length distribution and, when a packed output is
 * given, the plan's targets and the achieved values beside them.
 *
 * <p>The page is well-formed XML (XHTML syntax served as HTML), so tests can parse it.
 */
public final class RunReport {
  static final String CORPUS = "#9e9e9e";
  static final String TARGET = "#4e79a7";
  static final String PLANNED = "#f28e2b";
  static final String ACHIEVED = "#59a14f";

  private RunReport() {}

  /**
   * The page.
   *
   * @param title the page's heading
   * @param facts lines of "name: value" shown under the heading (input, strategy, ...), in order
   * @param corpus the input corpus
   * @param pack the packed output, or null for the corpus half only
   */
  public static String render(
      String title, Map<String, String> facts, CorpusSummary corpus, PackOutcome pack) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n");
    sb.append("<meta charset=\"utf-8\"/>\n<title>").append(Html.escape(title)).append("</title>\n");
    sb.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    sb.append("<h1>").append(Html.escape(title)).append("</h1>\n");
    sb.append("<table class=\"facts\">\n");
    for (Map.Entry<String, String> e : facts.entrySet()) {
      sb.append("<tr><th>")
          .append(Html.escape(e.getKey()))
          .append("</th><td>")
          .append(Html.escape(e.getValue()))
          .append("</td></tr>\n");
    }
    sb.append("</table>\n");

    // The short tables first: a 1200×2400 screenshot (or a first look) should see all of them.
    summary(sb, corpus, pack);
    if (pack != null) {
      rowsAndTokens(sb, pack);
      repetition(sb, pack);
    }
    domainMix(sb, corpus, pack);
    lengths(sb, corpus, pack);
    longShares(sb, corpus, pack);
    sb.append("<p class=\"note\">Shares are of tokens. Long means more than ")
        .append(Html.count(corpus.longThreshold()))
        .append(" tokens. Bins as in Fu et al. 2024, Fig. 2.</p>\n");
    sb.append("</body>\n</html>\n");
    return sb.toString();
  }

  private static void summary(StringBuilder sb, CorpusSummary c, PackOutcome p) {
    sb.append("<h2 id=\"summary\">Summary</h2>\n<div class=\"cards\">\n");
    card(sb, "corpus documents", Html.count(c.documents()));
    card(sb, "corpus tokens", Html.count(c.tokens()));
    card(sb, "corpus long share", Html.percent(share(c.longTokens(), c.tokens())));
    if (p != null) {
      card(sb, "packed rows", Html.count(p.rows()));
      card(sb, "output tokens", Html.count(p.outputTokens()));
      card(sb, "batches of " + millions(p.batchTokens()), batches(p.outputTokens(), p));
      card(sb, "achieved long share", Html.percent(p.achievedLongShare()));
    }
    sb.append("</div>\n");
  }

  private static void domainMix(StringBuilder sb, CorpusSummary c, PackOutcome p) {
    List<String> names = new ArrayList<>();
    double[] corpus = new double[c.domains().size()];
    for (int i = 0; i < corpus.length; i++) {
      CorpusSummary.Domain d = c.domains().get(i);
      names.add(d.domain());
      corpus[i] = share(d.tokens(), c.tokens());
    }
    if (p != null) {
      for (PackOutcome.DomainOutcome d : p.domains()) {
        if (!names.contains(d.domain())) {
          names.add(d.domain());
        }
      }
      corpus = Arrays.copyOf(corpus, names.size());
    }
    int n = names.size();
    double[] target = nan(n);
    double[] planned = nan(n);
    double[] achieved = nan(n);
    long[] achievedTokens = new long[n];
    if (p != null) {
      for (PackOutcome.DomainOutcome d : p.domains()) {
        int i = names.indexOf(d.domain());
        target[i] = d.targetShare();
        planned[i] = d.plannedShare();
        achieved[i] = d.achievedShare();
        achievedTokens[i] = d.achievedTokens();
      }
    }
    sb.append("<h2 id=\"domains\">Domain mix</h2>\n");
    BarChart chart = new BarChart(names).add("corpus", CORPUS, corpus);
    if (p != null) {
      chart
          .add("target", TARGET, target)
          .add("planned", PLANNED, planned)
          .add("achieved", ACHIEVED, achieved);
    }
    sb.append(chart.svg("token share per domain"));
    sb.append("<table class=\"num\">\n");
    if (p == null) {
      row(sb, "th", "domain", "documents", "tokens", "share");
      for (CorpusSummary.Domain d : c.domains()) {
        row(
            sb,
            "td",
            Html.escape(d.domain()),
            Html.count(d.documents()),
            Html.count(d.tokens()),
            Html.percent(share(d.tokens(), c.tokens())));
      }
    } else {
      row(
          sb,
          "th",
          "domain",
          "corpus",
          "target",
          "planned",
          "achieved",
          "achieved − planned",
          "achieved tokens");
      for (int i = 0; i < n; i++) {
        row(
            sb,
            "td",
            Html.escape(names.get(i)),
            Html.percent(corpus[i]),
            Html.percent(target[i]),
            Html.percent(planned[i]),
            Html.percent(achieved[i]),
            points(achieved[i] - planned[i]),
            Html.count(achievedTokens[i]));
      }
    }
    sb.append("</table>\n");
  }

  private static void lengths(StringBuilder sb, CorpusSummary c, PackOutcome p) {
    List<String> bins = c.binLabels();
    long[] ct = c.binTokens();
    double[] corpus = new double[bins.size()];
    for (int b = 0; b < corpus.length; b++) {
      corpus[b] = share(ct[b], c.tokens());
    }
    double[] achieved = nan(bins.size());
    if (p != null) {
      if (p.achievedBinTokens().length != bins.size()) {
        throw new IllegalArgumentException(
            "the packed output has "
                + p.achievedBinTokens().length
                + " bins, the corpus "
                + bins.size());
      }
      for (int b = 0; b < achieved.length; b++) {
        achieved[b] = share(p.achievedBinTokens()[b], p.selectedTokens());
      }
    }
    sb.append("<h2 id=\"lengths\">Length distribution (token-weighted, Fig. 2 bins)</h2>\n");
    BarChart chart = new BarChart(bins).add("corpus", CORPUS, corpus);
    if (p != null) {
      chart.add("planned", PLANNED, p.plannedBinShares()).add("achieved", ACHIEVED, achieved);
    }
    sb.append(chart.svg("token share per document length bin"));
    sb.append("<table class=\"num\">\n");
    if (p == null) {
      row(sb, "th", "bin", "tokens", "share");
      for (int b = 0; b < bins.size(); b++) {
        row(sb, "td", Html.escape(bins.get(b)), Html.count(ct[b]), Html.percent(corpus[b]));
      }
    } else {
      row(
          sb,
          "th",
          "bin",
          "corpus",
          "planned",
          "achieved",
          "achieved − planned",
          "achieved tokens");
      for (int b = 0; b < bins.size(); b++) {
        row(
            sb,
            "td",
            Html.escape(bins.get(b)),
            Html.percent(corpus[b]),
            Html.percent(p.plannedBinShares()[b]),
            Html.percent(achieved[b]),
            points(achieved[b] - p.plannedBinShares()[b]),
            Html.count(p.achievedBinTokens()[b]));
      }
    }
    sb.append("</table>\n");
  }

  private static void longShares(StringBuilder sb, CorpusSummary c, PackOutcome p) {
    List<String> names = new ArrayList<>();
    for (CorpusSummary.Domain d : c.domains()) {
      names.add(d.domain());
    }
    names.add("all domains");
    int n = names.size();
    double[] corpus = new double[n];
    for (int i = 0; i < n - 1; i++) {
      CorpusSummary.Domain d = c.domains().get(i);
      corpus[i] = share(d.longTokens(), d.tokens());
    }
    corpus[n - 1] = share(c.longTokens(), c.tokens());
    double[] planned = nan(n);
    double[] achieved = nan(n);
    if (p != null) {
      for (PackOutcome.DomainOutcome d : p.domains()) {
        int i = names.indexOf(d.domain());
        if (i >= 0) {
          planned[i] = d.plannedLongShare();
          achieved[i] = d.achievedLongShare();
        }
      }
      planned[n - 1] = p.plannedLongShare();
      achieved[n - 1] = p.achievedLongShare();
    }
    sb.append("<h2 id=\"long\">Long-document share per domain</h2>\n");
    BarChart chart = new BarChart(names).add("corpus", CORPUS, corpus);
    if (p != null) {
      chart.add("planned", PLANNED, planned).add("achieved", ACHIEVED, achieved);
    }
    sb.append(chart.svg("share of each domain's tokens in long documents"));
    sb.append("<table class=\"num\">\n");
    if (p == null) {
      row(sb, "th", "domain", "long tokens", "long share");
      for (int i = 0; i < n - 1; i++) {
        CorpusSummary.Domain d = c.domains().get(i);
        row(sb, "td", Html.escape(d.domain()), Html.count(d.longTokens()), Html.percent(corpus[i]));
      }
      row(sb, "td", "all domains", Html.count(c.longTokens()), Html.percent(corpus[n - 1]));
    } else {
      packedLongShares(sb, names, corpus, planned, achieved, p);
    }
    if (p == null) {
      sb.append("</table>\n");
    }
    if (p != null) {
      sb.append(
          f(
              "<p class=\"note\">Items come whole, so one draw may sit about ±%.2f share points"
                  + " from the plan (largest item %s tokens).</p>%n",
              p.granularityPoints(), Html.count(p.maxItemTokens())));
    }
  }

  /** The long-share table of a packed output: corpus, keep rule, planned, achieved per domain. */
  private static void packedLongShares(
      StringBuilder sb,
      List<String> names,
      double[] corpus,
      double[] planned,
      double[] achieved,
      PackOutcome p) {
    int n = names.size();
    double[] formula = nan(n);
    String[] rates = new String[n];
    java.util.Arrays.fill(rates, "");
    List<String> departing = new ArrayList<>();
    for (PackOutcome.DomainOutcome d : p.domains()) {
      int i = names.indexOf(d.domain());
      if (i >= 0) {
        formula[i] = d.formulaLongShare();
        rates[i] =
            d.departsFromKeepRule()
                ? f("%.4f → %.4f", d.keepRate(), d.effectiveKeepRate())
                : f("%.4f", d.keepRate());
        if (d.departsFromKeepRule()) {
          departing.add(d.domain());
        }
      }
    }
    row(
        sb,
        "th",
        "domain",
        "corpus",
        "keep rate",
        "keep rule",
        "planned",
        "achieved",
        "achieved − planned");
    for (int i = 0; i < n; i++) {
      row(
          sb,
          "td",
          Html.escape(names.get(i)),
          Html.percent(corpus[i]),
          rates[i],
          Double.isNaN(formula[i]) ? "" : Html.percent(formula[i]),
          Html.percent(planned[i]),
          Html.percent(achieved[i]),
          points(achieved[i] - planned[i]));
    }
    sb.append("</table>\n");
    if (!departing.isEmpty()) {
      sb.append(
          f(
              "<p class=\"note\">The plan departs from the keep rule's long share p/(p + r(1−p))"
                  + " for %s: their long documents were all taken at the copy cap and the rest"
                  + " of their budgets came from short documents, at the effective keep rate"
                  + " shown (infeasible = fill-short).</p>%n",
              Html.escape(String.join(", ", departing))));
    }
  }

  private static void repetition(StringBuilder sb, PackOutcome p) {
    sb.append("<h2 id=\"repetition\">Repetition and tail</h2>\n<table class=\"num\">\n");
    row(sb, "th", "", "value");
    row(sb, "td", "selected items", Html.count(p.items()));
    row(sb, "td", "repeated items (copy &gt; 0)", Html.count(p.repeatedItems()));
    row(
        sb,
        "td",
        "repeated tokens",
        Html.count(p.repeatedTokens())
            + " ("
            + Html.percent(share(p.repeatedTokens(), p.selectedTokens()))
            + ")");
    row(sb, "td", "highest copy index", Integer.toString(p.maxCopy()));
    row(sb, "td", "tail policy", Html.escape(p.tail()));
    row(sb, "td", "tail tokens dropped", Html.count(p.droppedTailTokens()));
    row(sb, "td", "packing", Html.escape(p.layout().mode().cliName()));
    row(
        sb,
        "td",
        "pad tokens",
        Html.count(p.padTokens()) + " (" + Html.percent(p.layout().padShare()) + ")");
    row(
        sb,
        "td",
        "padding not counting the partial row",
        Html.percent(p.layout().padShareWithoutTail()));
    row(sb, "td", "items cut across rows", Html.count(p.layout().documentsCut()));
    row(sb, "td", "items per row", f("%.2f", p.layout().itemsPerRow()));
    sb.append("</table>\n");
  }

  private static void rowsAndTokens(StringBuilder sb, PackOutcome p) {
    String batch = "batches of " + millions(p.batchTokens());
    sb.append("<h2 id=\"rows\">Rows and tokens</h2>\n<table class=\"num\">\n");
    row(sb, "th", "", "tokens", batch);
    row(sb, "td", "budget", Html.count(p.budgetTokens()), batches(p.budgetTokens(), p));
    row(sb, "td", "selected", Html.count(p.selectedTokens()), batches(p.selectedTokens(), p));
    row(
        sb,
        "td",
        "written (" + Html.count(p.rows()) + " rows × " + Html.count(p.seqLen()) + ")",
        Html.count(p.outputTokens()),
        batches(p.outputTokens(), p));
    sb.append("</table>\n");
    sb.append(
        f(
            "<p class=\"note\">One batch of %s tokens is %.1f rows of %s.</p>%n",
            Html.count(p.batchTokens()),
            p.batchTokens() / (double) p.seqLen(),
            Html.count(p.seqLen())));
  }

  private static void card(StringBuilder sb, String label, String value) {
    sb.append("<div class=\"card\"><div class=\"v\">")
        .append(value)
        .append("</div><div class=\"k\">")
        .append(Html.escape(label))
        .append("</div></div>\n");
  }

  /** Appends a table row; cells are already escaped. */
  private static void row(StringBuilder sb, String cell, String... cells) {
    sb.append("<tr>");
    for (String c : cells) {
      sb.append('<').append(cell).append('>').append(c).append("</").append(cell).append('>');
    }
    sb.append("</tr>\n");
  }

  private static String batches(long tokens, PackOutcome p) {
    return f("%,.2f", tokens / (double) p.batchTokens());
  }

  private static String millions(long tokens) {
    return tokens % 1_000_000 == 0 ? (tokens / 1_000_000) + "M" : Html.count(tokens);
  }

  private static String points(double d) {
    if (Double.isNaN(d)) {
      return "–";
    }
    // Rounds first so a difference of -0.001 points reads "+0.00 pt", not "-0.00 pt".
    double p = Math.round(100 * d * 100) / 100.0;
    return f("%+.2f pt", p == 0 ? 0.0 : p);
  }

  private static double share(long part, long whole) {
    return whole == 0 ? 0 : part / (double) whole;
  }

  private static double[] nan(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static final String CSS =
      """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;max-width:1040px}
      h1{font-size:22px;margin:0 0 8px}
      h2{font-size:17px;margin:28px 0 6px;border-bottom:1px solid #ddd;padding-bottom:3px}
      table{border-collapse:collapse;font-size:13px;margin:6px 0}
      th,td{padding:2px 10px;border-bottom:1px solid #eee;text-align:left}
      table.num td+td,table.num th+th{text-align:right;font-variant-numeric:tabular-nums}
      table.facts th{color:#666;font-weight:normal}
      .cards{display:flex;flex-wrap:wrap;gap:10px}
      .card{border:1px solid #ddd;border-radius:6px;padding:6px 12px;min-width:108px}
      .card .v{font-size:18px;font-weight:600}
      .card .k{font-size:12px;color:#666}
      svg.chart{display:block;margin:4px 0}
      svg text{font-size:12px;fill:#333}
      svg text.axis,svg text.val{font-size:11px;fill:#555}
      svg line.grid{stroke:#e5e5e5}
      .note{font-size:12px;color:#666}
      """;
}
