package dev.longmix.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longmix.common.plan.InfeasiblePlanException;
import dev.longmix.jobs.cli.CommandSpec;
import dev.longmix.jobs.cli.Option;
import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.histogram.HistogramConfig;
import dev.longmix.jobs.histogram.HistogramJob;
import dev.longmix.jobs.pack.PackConfig;
import dev.longmix.jobs.pack.PackJob;
import dev.longmix.jobs.pack.PlanOptions;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.Manifests;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.spark.Sessions;
import dev.longmix.jobs.tokenize.TokenizeConfig;
import dev.longmix.jobs.tokenize.TokenizeJob;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * {@code longmix run}: tokenize → histogram → pack in one SparkSession, each stage skipped when its
 * complete output for the same fingerprint exists.
 */
final class RunCommand {
  private RunCommand() {}

  static CommandSpec spec() {
    List<Option> o = new ArrayList<>();
    for (Option t : TokenizeConfig.OPTIONS) {
      o.add(
          t.key().equals("output")
              ? Option.required(
                  "output", "ROOT", "ROOT/tokenized, ROOT/histogram and ROOT/packed go here")
              : t);
    }
    o.add(HistogramConfig.OPTIONS.get(2));
    o.addAll(PackConfig.packingOptions());
    o.addAll(PlanOptions.OPTIONS);
    return new CommandSpec(
        "run",
        "The whole pipeline: tokenize, histogram, pack, in one Spark session.",
        """
        Each stage is skipped when its output is complete for the same inputs and settings, so
        changing only the strategy reruns only pack. --budget-fraction is resolved against the
        corpus's tokens once the histogram exists.
        """,
        o);
  }

  static int run(Settings s, PrintStream out) {
    Configuration hadoop = HadoopConf.fromSparkConf(s.sparkConf());
    String root = s.string("output");
    TokenizeConfig t = TokenizeConfig.from(s, hadoop);
    TokenizeConfig tok =
        new TokenizeConfig(
            t.input(),
            root + "/tokenized",
            t.files(),
            t.tokenizer(),
            t.settings(),
            t.maxRejectFraction(),
            t.progressSeconds(),
            t.fingerprint(),
            t.resolved());
    HistogramConfig hist =
        HistogramConfig.of(
            tok.output(),
            root + "/histogram",
            s.nonNegativeLong(HistogramConfig.LONG_THRESHOLD),
            tok.fingerprint(),
            s.resolved());
    PackConfig.precheck(s);
    checkDomainsNamed(s);
    boolean force = s.flag("force");
    boolean overwrite = s.flag("overwrite");
    // Decided before Spark starts, so an output that must not be replaced stops the run at once.
    boolean skipTokenize =
        skip(hadoop, "tokenize", tok.output(), tok.fingerprint(), force, overwrite, out);
    boolean skipHistogram =
        skip(hadoop, "histogram", hist.output(), hist.fingerprint(), force, overwrite, out);
    // The pack fingerprint needs the histogram; until it exists, refuse at least foreign data.
    OutputGuard.precheck(hadoop, "output", root + "/packed", overwrite);

    SparkSession spark =
        Sessions.create(
            "longmix run",
            s.string("master"),
            s.sparkConf(),
            List.of(tok.output(), hist.output(), root + "/packed"));
    try {
      if (!skipTokenize) {
        int code = TokenizeCommand.report(TokenizeJob.run(spark, tok, out), tok, out);
        if (code != ExitCode.OK) {
          return code;
        }
      }
      if (!skipHistogram) {
        HistogramJob.run(spark, hist, out, tok.progressSeconds());
      }
      JsonNode upstream = Manifests.read(hadoop, tok.output()).orElseThrow();
      PackConfig pack;
      try {
        pack =
            PackConfig.of(
                s,
                hadoop,
                tok.output(),
                hist.output(),
                root + "/packed",
                upstream,
                PackConfig.packing(s));
      } catch (InfeasiblePlanException e) {
        return PlanCommand.infeasible(e, out);
      }
      out.print(pack.plan().toTable(pack.packing().seqLen(), 4_000_000));
      if (pack.dryRun()) {
        return ExitCode.OK;
      }
      if (!skip(hadoop, "pack", pack.output(), pack.fingerprint(), force, overwrite, out)) {
        PackJob.run(spark, pack, out);
      }
      out.println("[run] done: " + root + "/packed");
      return ExitCode.OK;
    } finally {
      spark.stop();
    }
  }

  /**
   * Pack's domain names can be checked against the corpus only once the histogram exists, after
   * Spark ran; when {@code --domains} fixes the set up front they are checked now instead.
   */
  static void checkDomainsNamed(Settings s) {
    java.util.Set<String> domains = new java.util.LinkedHashSet<>(s.list("domains"));
    if (domains.isEmpty()) {
      return;
    }
    String shares = s.string(dev.longmix.common.plan.PlanConfig.DOMAIN_SHARES);
    if (shares != null && shares.contains("=")) {
      for (String part : shares.split(",")) {
        String name = part.substring(0, Math.max(0, part.indexOf('='))).strip();
        if (!domains.contains(name)) {
          throw new dev.longmix.common.config.ConfigException(
              dev.longmix.common.plan.PlanConfig.DOMAIN_SHARES,
              shares,
              "names domain '" + name + "', which is not in --domains " + domains);
        }
      }
    }
    for (String name : s.list(dev.longmix.common.plan.PlanConfig.UPSAMPLE_DOMAINS)) {
      if (!domains.contains(name)) {
        throw new dev.longmix.common.config.ConfigException(
            dev.longmix.common.plan.PlanConfig.UPSAMPLE_DOMAINS,
            String.join(",", s.list(dev.longmix.common.plan.PlanConfig.UPSAMPLE_DOMAINS)),
            "names domain '" + name + "', which is not in --domains " + domains);
      }
    }
  }

  private static boolean skip(
      Configuration hadoop,
      String stage,
      String dir,
      String fingerprint,
      boolean force,
      boolean overwrite,
      PrintStream out) {
    return OutputGuard.upToDate(hadoop, stage, dir, fingerprint, force, overwrite, out);
  }
}
