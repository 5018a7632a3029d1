package dev.longmix.jobs.evalset;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.jobs.cli.Option;
import dev.longmix.jobs.manifest.HoldoutManifest;
import org.apache.hadoop.conf.Configuration;

/**
 * What a pack does about its input's eval pool, decided before Spark starts: leave the recorded
 * holdout out (and plan from the histogram without it), pack everything because no holdout was
 * declared, or pack everything because {@code --no-holdout} says so. A holdout that was declared
 * (INPUT/_holdout exists) but whose record is not complete or not of this dataset stops the pack
 * unless {@code --no-holdout} is given.
 *
 * @param status what happens
 * @param record the record's folder (null when none)
 * @param fingerprint the record's fingerprint (null when none was read)
 * @param manifest the record's manifest body (null when none was read)
 * @param excluded the doc ids left out, sorted (empty unless excluded)
 * @param pool the pool to count duplicates against (null when none was read)
 * @param held the held-out documents' histogram in the histogram's bins (null unless excluded)
 */
public record PackHoldout(
    Status status,
    String record,
    String fingerprint,
    HoldoutManifest manifest,
    long[] excluded,
    EvalPool pool,
    LengthHistogram held) {

  public static final String NO_HOLDOUT = "no-holdout";

  /** The flag, shared by pack and run. */
  public static final Option OPTION =
      Option.flag(
          NO_HOLDOUT,
          "pack every document even when the input records a holdout (its eval pool is then"
              + " trained on; the manifest says so)");

  /** What a pack does about the holdout. */
  public enum Status {
    /** The input has no holdout: every document may be packed. */
    NONE("none declared"),
    /** The record's documents are left out. */
    EXCLUDED("excluded"),
    /** {@code --no-holdout}: every document may be packed, the declared holdout's included. */
    IGNORED("ignored (--no-holdout)");

    private final String words;

    Status(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  /**
   * Reads {@code input}'s holdout record, if any.
   *
   * @param histogram the input's histogram: its bins and long threshold shape {@link #held}
   */
  public static PackHoldout resolve(
      Configuration hadoop,
      String input,
      String inputFingerprint,
      boolean noHoldout,
      LengthHistogram histogram) {
    HoldoutRecord.Found found = HoldoutRecord.inspect(hadoop, input);
    String dir = HoldoutRecord.dir(input);
    String escape =
        ": rerun longmix evalset on it with the same --holdout-fraction and --holdout-seed, or"
            + " pass --"
            + NO_HOLDOUT
            + " to pack every document (the eval pool would then be trained on)";
    switch (found.kind()) {
      case NONE:
        return new PackHoldout(Status.NONE, null, null, null, new long[0], null, null);
      case INCOMPLETE:
        if (noHoldout) {
          return new PackHoldout(Status.IGNORED, dir, null, null, new long[0], null, null);
        }
        throw ConfigException.invalid(
            "input",
            input,
            "declares a holdout ("
                + dir
                + ") whose record is not complete, so pack cannot see which documents to leave"
                + " out"
                + escape);
      default:
        break;
    }
    HoldoutManifest m = found.manifest().body();
    String fp = found.manifest().header().fingerprint();
    if (!inputFingerprint.equals(m.inputFingerprint())) {
      if (noHoldout) {
        return new PackHoldout(Status.IGNORED, dir, fp, m, new long[0], null, null);
      }
      throw ConfigException.invalid(
          "input",
          input,
          "has a holdout record ("
              + dir
              + ") made for another tokenized dataset (fingerprint "
              + m.inputFingerprint()
              + ", this one is "
              + inputFingerprint
              + ")"
              + escape);
    }
    HoldoutRecord.Documents docs = HoldoutRecord.read(hadoop, input);
    if (docs.size() != m.documents() || docs.tokens() != m.tokens()) {
      throw ConfigException.invalid(
          "input",
          input,
          "has a holdout record whose "
              + HoldoutRecord.FILE
              + " lists "
              + docs.size()
              + " documents and "
              + docs.tokens()
              + " tokens, its manifest "
              + m.documents()
              + " and "
              + m.tokens()
              + escape);
    }
    EvalPool pool = EvalPool.of(docs);
    if (noHoldout) {
      return new PackHoldout(Status.IGNORED, dir, fp, m, new long[0], pool, null);
    }
    LengthHistogram held = new LengthHistogram(histogram.bins(), histogram.longThreshold());
    for (int i = 0; i < docs.size(); i++) {
      held.add(docs.domains()[i], docs.nTokens()[i]);
    }
    return new PackHoldout(Status.EXCLUDED, dir, fp, m, docs.docIds(), pool, held);
  }

  /** The histogram the plan is made from: the input's, less the held-out documents. */
  public LengthHistogram training(LengthHistogram all, String histogramDir) {
    if (status != Status.EXCLUDED) {
      return all;
    }
    try {
      return all.minus(held);
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid(
          "histogram",
          histogramDir,
          "does not hold the documents of the holdout record " + record + ": " + e.getMessage());
    }
  }

  /** What the pack's fingerprint adds: which documents it may take. */
  public String fingerprintPart() {
    return switch (status) {
      case NONE -> null;
      case EXCLUDED -> fingerprint;
      case IGNORED -> "no-holdout:" + (fingerprint == null ? record : fingerprint);
    };
  }
}
