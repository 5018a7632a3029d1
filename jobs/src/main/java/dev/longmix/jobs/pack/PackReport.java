package dev.longmix.jobs.pack;

import dev.longmix.common.plan.DomainPlan;
import dev.longmix.common.plan.Plan;
import dev.longmix.common.report.CorpusSummary;
import dev.longmix.common.report.PackSummary;
import dev.longmix.common.report.RunReport;
import dev.longmix.jobs.spark.Manifests;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Writes the full run report (corpus, plan, achieved) beside the packed output's manifest.
 *
 * <p>Named with a leading underscore like {@code _manifest.json}: Spark and other Parquet readers
 * of the output folder skip such files, and would fail on any other non-Parquet file there.
 */
final class PackReport {
  static final String FILE = "_report.html";

  private PackReport() {}

  static void write(
      Configuration conf,
      PackConfig cfg,
      Plan plan,
      PackJob.Report report,
      Placement.Stats total,
      long rows) {
    List<PackSummary.Domain> domains = new ArrayList<>();
    for (DomainPlan d : plan.domains()) {
      long t = total.domainTokens.getOrDefault(d.domain(), 0L);
      long lt = total.domainLongTokens.getOrDefault(d.domain(), 0L);
      domains.add(
          new PackSummary.Domain(
              d.domain(),
              d.targetShare(),
              d.expectedShare(),
              total.tokens == 0 ? 0 : t / (double) total.tokens,
              t,
              d.formulaLongShare(),
              d.expectedLongShare(),
              t == 0 ? 0 : lt / (double) t,
              d.shortClass().rate(),
              d.effectiveKeepRate()));
    }
    PackSummary pack =
        new PackSummary(
            plan.config().strategy().cliName(),
            cfg.packing().seqLen(),
            Plan.BATCH_TOKENS_DEFAULT,
            plan.budgetTokens(),
            total.tokens,
            rows,
            cfg.packing().tail().name().toLowerCase(Locale.ROOT),
            cfg.packing().droppedTokens(total.tokens),
            cfg.packing().padTokens(total.tokens),
            total.items,
            total.repeatedItems,
            total.repeatedTokens,
            total.maxCopy,
            total.maxItemTokens,
            report.granularityPoints(),
            plan.expectedLongShare(),
            total.tokens == 0 ? 0 : total.longTokens / (double) total.tokens,
            domains,
            report.plannedBins(),
            total.binTokens.clone());
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("input", cfg.input());
    facts.put("histogram", cfg.histogram());
    facts.put("output", cfg.output());
    facts.put("strategy", pack.strategy());
    facts.put("seed", Long.toString(plan.config().seed()));
    String html = RunReport.render("longmix run report", facts, CorpusSummary.of(cfg.fig2()), pack);
    Manifests.writeText(conf, new Path(cfg.output(), FILE), html);
  }
}
