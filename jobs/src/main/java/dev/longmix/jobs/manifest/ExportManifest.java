package dev.longmix.jobs.manifest;

import java.util.List;

/**
 * The export stage's manifest body: what was exported, to which format, and the files written.
 *
 * @param input the packed output exported
 * @param inputFingerprint its fingerprint
 * @param inputContentDigest the content digest of the rows read, equal to the one its manifest
 *     states (the job fails otherwise)
 * @param format {@code megatron}
 * @param dtype the token id type of the {@code .bin} files
 * @param dtypeRule how the type was chosen: {@code --dtype} as given, or the largest id found
 * @param eod the id every sequence ends with ({@code --append-eod}), null when none
 * @param eodRule how it was chosen: {@code none}, the tokenizer's EOS, or the id as given
 * @param seqLen the packed rows' length
 * @param rows packed rows exported
 * @param sequences sequences written (one per span)
 * @param documents documents written (runs of spans that continue one item)
 * @param tokens token ids written: the rows' data tokens (padding is left out) and the appended EOD
 *     ids
 * @param eodAppended EOD ids appended (every sequence that did not already end with it)
 * @param paddingLeftOut pad ids of the rows that were not written
 * @param files the file pairs, in row order
 * @param seconds in-job seconds
 */
public record ExportManifest(
    String input,
    String inputFingerprint,
    String inputContentDigest,
    String format,
    String dtype,
    String dtypeRule,
    Integer eod,
    String eodRule,
    int seqLen,
    long rows,
    long sequences,
    long documents,
    long tokens,
    long eodAppended,
    long paddingLeftOut,
    List<FilePair> files,
    double seconds) {
  public static final String STAGE = "export";

  /**
   * One {@code .bin}/{@code .idx} pair.
   *
   * @param prefix the pair's path without extension, relative to the output (Megatron's data path)
   * @param firstRow the first packed row it holds
   * @param rows packed rows it holds, from {@code firstRow} on
   * @param sequences sequences in it
   * @param documents documents in it
   * @param tokens token ids in it, appended EOD ids included
   * @param eodAppended EOD ids appended in it
   * @param binBytes the {@code .bin}'s size
   * @param idxBytes the {@code .idx}'s size
   */
  public record FilePair(
      String prefix,
      long firstRow,
      long rows,
      long sequences,
      long documents,
      long tokens,
      long eodAppended,
      long binBytes,
      long idxBytes)
      implements java.io.Serializable {}
}
