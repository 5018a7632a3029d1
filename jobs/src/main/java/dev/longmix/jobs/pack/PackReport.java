package dev.longmix.jobs.pack;

import dev.longmix.common.pack.PackOutcome;
import dev.longmix.common.report.CorpusSummary;
import dev.longmix.common.report.RunReport;
import dev.longmix.jobs.manifest.Manifests;
import java.util.LinkedHashMap;
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

  /**
   * @param holdout what the pack did about the input's eval pool, and the packed documents equal to
   *     an eval document, in words
   */
  static void write(Configuration conf, PackConfig cfg, PackOutcome outcome, String holdout) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("input", cfg.input());
    facts.put("histogram", cfg.histogram());
    facts.put("output", cfg.output());
    facts.put("strategy", outcome.strategy());
    facts.put("seed", Long.toString(outcome.plan().config().seed()));
    facts.put("holdout", holdout);
    String html =
        RunReport.render("longmix run report", facts, CorpusSummary.of(cfg.fig2()), outcome);
    Manifests.writeText(conf, new Path(cfg.output(), FILE), html);
  }
}
