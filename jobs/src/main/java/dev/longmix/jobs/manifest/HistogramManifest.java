package dev.longmix.jobs.manifest;

import java.util.List;

/**
 * The histogram stage's manifest body; the histograms themselves are in {@code histogram.json} and
 * the Parquet rows.
 *
 * @param inputFingerprint the tokenized dataset's fingerprint
 * @param input the tokenized dataset
 * @param longThreshold documents with more tokens than this are long
 * @param documents documents counted
 * @param tokens tokens counted
 * @param longShare share of tokens in long documents
 * @param domains the domains found
 * @param histogram the histogram file's name
 * @param rows the Parquet rows' folder
 * @param seconds in-job seconds
 */
public record HistogramManifest(
    String inputFingerprint,
    String input,
    long longThreshold,
    long documents,
    long tokens,
    double longShare,
    List<String> domains,
    String histogram,
    String rows,
    double seconds) {
  public static final String STAGE = "histogram";
}
