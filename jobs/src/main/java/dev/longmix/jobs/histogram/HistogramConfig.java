package dev.longmix.jobs.histogram;

import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.jobs.cli.CommandSpec;
import dev.longmix.jobs.cli.Option;
import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.manifest.TokenizeManifest;
import dev.longmix.jobs.spark.Fingerprint;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The validated settings of the histogram stage, resolved before Spark starts.
 *
 * @param input the tokenized dataset
 * @param output where the histogram goes
 * @param longThreshold documents with more tokens than this are long
 * @param inputFingerprint the tokenized dataset's fingerprint
 * @param fingerprint f(input fingerprint, long threshold)
 * @param resolved the effective settings, for the manifest
 */
public record HistogramConfig(
    String input,
    String output,
    long longThreshold,
    String inputFingerprint,
    String fingerprint,
    Map<String, String> resolved) {

  public static final String LONG_THRESHOLD = "long-threshold";
  public static final String LONG_THRESHOLD_DEFAULT =
      Long.toString(LengthHistogram.LONG_THRESHOLD_DEFAULT);

  /** The long threshold's option, which the run command shares. */
  public static final Option LONG_THRESHOLD_OPTION =
      Option.optional(
          LONG_THRESHOLD,
          "TOKENS",
          LONG_THRESHOLD_DEFAULT,
          "documents with more tokens than this are long");

  public static final List<Option> OPTIONS =
      List.of(
          Option.required("input", "DIR", "the tokenized dataset (output of longmix tokenize)"),
          Option.required("output", "DIR", "where the histogram goes"),
          LONG_THRESHOLD_OPTION);

  public static CommandSpec spec() {
    return new CommandSpec(
        "histogram",
        "Stage 2a: token-weighted length histograms per domain (Fig. 2 bins and log-spaced bins).",
        """
        Reads only the domain and n_tokens columns. Writes OUTPUT/histogram.json (snapshots,
        per-domain totals, token shares and long shares), Parquet rows (domain, bins, bin,
        bin_label, documents, tokens) in OUTPUT/rows, and OUTPUT/_manifest.json.
        """,
        OPTIONS);
  }

  /** Validates the settings and reads the input's manifest for its fingerprint. */
  public static HistogramConfig from(Settings s, Configuration hadoop) {
    String input = s.string("input");
    String upstream =
        Manifests.complete(hadoop, "input", input, TokenizeManifest.STAGE, TokenizeManifest.class)
            .header()
            .fingerprint();
    return of(input, s.string("output"), s.nonNegativeLong(LONG_THRESHOLD), upstream, s.resolved());
  }

  /** A config for an input whose fingerprint is already known (the run command's chaining). */
  public static HistogramConfig of(
      String input,
      String output,
      long longThreshold,
      String inputFingerprint,
      Map<String, String> resolved) {
    Fingerprint fp = new Fingerprint("histogram");
    fp.add("input", inputFingerprint);
    fp.add(LONG_THRESHOLD, Long.toString(longThreshold));
    fp.add("layout", HistogramJob.ROWS_DIR); // rows moved below OUTPUT/rows: older outputs redo
    return new HistogramConfig(
        input, output, longThreshold, inputFingerprint, fp.value(), new TreeMap<>(resolved));
  }
}
