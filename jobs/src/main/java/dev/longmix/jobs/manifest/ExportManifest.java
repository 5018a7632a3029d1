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
 * @param seqLen the packed rows' length
 * @param rows packed rows exported
 * @param sequences sequences written (one per span)
 * @param documents documents written (runs of spans that continue one item)
 * @param tokens token ids written (the rows' data tokens; padding is left out)
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
    int seqLen,
    long rows,
    long sequences,
    long documents,
    long tokens,
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
   * @param tokens token ids in it
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
      long binBytes,
      long idxBytes)
      implements java.io.Serializable {}
}
