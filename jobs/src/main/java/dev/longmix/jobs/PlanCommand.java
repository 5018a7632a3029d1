package dev.longmix.jobs;

import dev.longmix.common.plan.InfeasiblePlanException;
import dev.longmix.common.plan.MixturePlanner;
import dev.longmix.common.plan.Plan;
import dev.longmix.common.plan.PlanConfig;
import dev.longmix.jobs.cli.CommandSpec;
import dev.longmix.jobs.cli.Option;
import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.histogram.HistogramFiles;
import dev.longmix.jobs.pack.PlanOptions;
import dev.longmix.jobs.spark.HadoopConf;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code longmix plan}: print a strategy's plan from a histogram; no Spark job runs. */
final class PlanCommand {
  private PlanCommand() {}

  static CommandSpec spec() {
    List<Option> o = new ArrayList<>();
    o.add(Option.required("histogram", "DIR", "output of longmix histogram"));
    o.addAll(PlanOptions.OPTIONS);
    return new CommandSpec(
        "plan",
        "Print what a strategy would select (budgets, rates, expected shares) and exit.",
        "Reads DIR/histogram.json only, so it plans over every document of the tokenized"
            + " dataset; when the dataset records a holdout (longmix evalset), pack plans without"
            + " those documents: pack --dry-run prints that plan. Exit 4 when the budget cannot be"
            + " met.",
        o);
  }

  static int run(Settings s, PrintStream out) {
    HistogramFiles.Loaded h =
        HistogramFiles.read(
            HadoopConf.fromSparkConf(s.sparkConf()), "histogram", s.string("histogram"));
    long budget = PlanOptions.budget(s, h.fig2().tokens());
    PlanConfig pc = PlanOptions.parse(s, budget, h.fig2().longThreshold());
    return print(pc, h, out);
  }

  static int print(PlanConfig pc, HistogramFiles.Loaded h, PrintStream out) {
    try {
      Plan plan = MixturePlanner.plan(h.fig2(), pc);
      out.print(plan.toTable());
      return ExitCode.OK;
    } catch (InfeasiblePlanException e) {
      return infeasible(e, out);
    }
  }

  static int infeasible(InfeasiblePlanException e, PrintStream out) {
    if (e.plan() != null) {
      out.print(e.plan().toTable());
    }
    out.println("longmix: the plan cannot be met:");
    out.println(e.getMessage());
    return ExitCode.INFEASIBLE_PLAN;
  }
}
