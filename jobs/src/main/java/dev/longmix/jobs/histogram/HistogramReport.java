package dev.longmix.jobs.histogram;

import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.common.report.CorpusSummary;
import dev.longmix.common.report.RunReport;
import dev.longmix.jobs.manifest.Manifests;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Writes the corpus half of the run report beside histogram.json. */
public final class HistogramReport {
  /** The page's name in the histogram output. */
  public static final String FILE = "report.html";

  private HistogramReport() {}

  /**
   * Renders {@code fig2} (the corpus measured from {@code input}) into {@code output/report.html}.
   */
  public static void write(Configuration conf, String output, String input, LengthHistogram fig2) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("stage", "histogram");
    facts.put("input", input);
    facts.put("output", output);
    String html = RunReport.render("longmix corpus report", facts, CorpusSummary.of(fig2), null);
    Manifests.writeText(conf, new Path(output, FILE), html);
  }
}
