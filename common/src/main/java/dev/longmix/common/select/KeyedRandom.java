package dev.longmix.common.select;

/**
 * Random numbers as a pure function of (seed, stream, document id, piece, copy).
 *
 * <p>Spark may recompute a partition on another executor, in another order, or split differently; a
 * draw keyed on the record's identity gives the same value every time, which a stateful generator
 * cannot. Each key field is folded in through the SplitMix64 finalizer (Stafford's variant 13), a
 * bijection with full avalanche, so nearby ids give unrelated values. The stream tag keeps the
 * selection draw and the packing-order draw of the same item independent.
 */
public final class KeyedRandom {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /** Independent streams of draws for the same item. */
  public enum Stream {
    /** The u in the selection time t = (k + u)/λ. */
    SELECT(0x53454C4543544CL),
    /** The key that orders selected items before packing. */
    ORDER(0x4F52444552L),
    /** The packing group of a part of an item under best-fit packing. */
    GROUP(0x47524F5550L),
    /** The key that orders best-fit rows in the output. */
    ROW(0x524F57L),
    /** Whether a document is held out of training as the eval pool (the evalset stage). */
    HOLDOUT(0x484F4C444F5554L),
    /** The order in which eval documents fill validation cells and the haystack. */
    EVAL(0x4556414CL);

    private final long tag;

    Stream(long tag) {
      this.tag = tag;
    }
  }

  private KeyedRandom() {}

  /** A well-mixed 64-bit value for the key. */
  public static long hash(long seed, Stream stream, long docId, long piece, long copy) {
    long h = mix64(seed ^ mix64(stream.tag));
    h = mix64(h ^ mix64(docId + GOLDEN));
    h = mix64(h ^ mix64(piece + 2 * GOLDEN));
    return mix64(h ^ mix64(copy + 3 * GOLDEN));
  }

  /** {@link #hash} with a fourth field: the part of an item (its first token's offset in it). */
  public static long hash(long seed, Stream stream, long docId, long piece, long copy, long part) {
    return mix64(hash(seed, stream, docId, piece, copy) ^ mix64(part + 4 * GOLDEN));
  }

  /** A double uniform in [0, 1) for the key, from the top 53 bits of {@link #hash}. */
  public static double uniform(long seed, Stream stream, long docId, long piece, long copy) {
    return (hash(seed, stream, docId, piece, copy) >>> 11) * 0x1.0p-53;
  }

  /** SplitMix64's finalizer. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
