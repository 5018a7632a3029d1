package dev.longmix.jobs;

import dev.longmix.common.config.ConfigException;
import dev.longmix.jobs.cli.CommandSpec;
import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.evalset.EvalsetConfig;
import dev.longmix.jobs.export.ExportConfig;
import dev.longmix.jobs.histogram.HistogramConfig;
import dev.longmix.jobs.pack.PackConfig;
import dev.longmix.jobs.spark.SparkLine;
import dev.longmix.jobs.tokenize.TokenizeConfig;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code longmix} command line: one sub-command per stage, plus the whole pipeline. */
public final class Main {
  private Main() {}

  /** A command: its spec (options, help) and what runs once the settings parsed. */
  record Command(CommandSpec spec, Runner runner) {}

  interface Runner {
    int run(Settings s, PrintStream out) throws Exception;
  }

  static Map<String, Command> commands() {
    Map<String, Command> m = new LinkedHashMap<>();
    m.put("demo", new Command(DemoCommand.spec(), DemoCommand::run));
    m.put("tokenize", new Command(TokenizeConfig.spec(), TokenizeCommand::run));
    m.put("evalset", new Command(EvalsetConfig.spec(), EvalsetCommand::run));
    m.put("histogram", new Command(HistogramConfig.spec(), HistogramCommand::run));
    m.put("plan", new Command(PlanCommand.spec(), PlanCommand::run));
    m.put("pack", new Command(PackConfig.spec(), PackCommand::run));
    m.put("run", new Command(RunCommand.spec(), RunCommand::run));
    m.put("export", new Command(ExportConfig.spec(), ExportCommand::run));
    return m;
  }

  public static void main(String[] args) throws org.apache.spark.SparkException {
    int code = run(args, System.out, System.err);
    if (System.getProperty("spark.yarn.app.id") != null
        && "cluster".equals(System.getProperty("spark.submit.deployMode"))) {
      // YARN cluster mode: this is the ApplicationMaster's user thread, and the AM reports the
      // application's final status only when main returns (success) or throws Spark's exception
      // for an exit code. System.exit here, even with 0, runs its shutdown hook first, which
      // marks the application FAILED ("Shutdown hook called before final status was reported").
      if (code != ExitCode.OK) {
        throw new org.apache.spark.SparkUserAppException(code);
      }
      return;
    }
    System.exit(code);
  }

  /** Runs a command line and returns the exit code (the process exits with it). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    // Before any class that links against Spark is loaded: a jar for another Spark line would
    // otherwise fail mid-job with a NoSuchMethodError.
    java.util.Optional<String> wrongLine;
    try {
      wrongLine = SparkLine.mismatch(SparkLine.built(), SparkLine.running());
    } catch (LinkageError e) {
      err.println(
          "longmix: Spark is not on the class path ("
              + e
              + "); run the job jar with"
              + " spark-submit or ./longmix");
      return ExitCode.INVALID_SETTINGS;
    }
    if (wrongLine.isPresent()) {
      err.println("longmix: " + wrongLine.get());
      return ExitCode.INVALID_SETTINGS;
    }
    Map<String, Command> commands = commands();
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.print(usage(commands));
      return args.length == 0 ? ExitCode.INVALID_SETTINGS : ExitCode.OK;
    }
    Command c = commands.get(args[0]);
    if (c == null) {
      err.println("longmix: unknown command '" + args[0] + "'; commands: " + commands.keySet());
      return ExitCode.INVALID_SETTINGS;
    }
    try {
      Settings s = Settings.parse(c.spec(), Arrays.copyOfRange(args, 1, args.length));
      if (s.helpRequested()) {
        out.print(c.spec().help());
        return ExitCode.OK;
      }
      return c.runner().run(s, out);
    } catch (ConfigException e) {
      err.println("longmix " + args[0] + ": invalid setting: " + e.getMessage());
      return ExitCode.INVALID_SETTINGS;
    } catch (Exception e) {
      err.println("longmix " + args[0] + ": failed: " + e);
      Throwable cause = cause(e);
      if (cause != e) {
        err.println("longmix " + args[0] + ": cause: " + cause);
      }
      e.printStackTrace(err);
      return ExitCode.FAILED;
    }
  }

  /**
   * The reason to name beside a failure: the first I/O error in its chain of causes (it says which
   * operation on which path or endpoint failed and why, e.g. an S3 endpoint that refuses
   * connections), else the innermost cause. Spark wraps a task's error in one that names only the
   * stage and its output, and the stack trace that follows is hundreds of lines long.
   */
  static Throwable cause(Throwable e) {
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    Throwable innermost = e;
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return t;
      }
      innermost = t;
    }
    return innermost;
  }

  static String usage(Map<String, Command> commands) {
    StringBuilder sb = new StringBuilder();
    sb.append("usage: longmix COMMAND [options]   (longmix COMMAND --help for its options)\n\n");
    sb.append("Prepares long-context continual-pretraining data (Fu et al. 2024) with Spark.\n\n");
    sb.append("commands:\n");
    for (Map.Entry<String, Command> e : commands.entrySet()) {
      sb.append(String.format("  %-10s %s%n", e.getKey(), e.getValue().spec().summary()));
    }
    return sb.toString();
  }
}
