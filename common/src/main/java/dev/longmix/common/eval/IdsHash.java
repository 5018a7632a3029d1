package dev.longmix.common.eval;

/**
 * A 64-bit hash of a document's token ids, the proxy for "the same text": one tokenizer turns equal
 * texts into equal ids, and equal ids decode to equal texts (up to the tokenizer's normalisation).
 * Pack counts the packed documents whose ids hash to an eval document's, so duplicates of eval
 * documents elsewhere in the corpus are visible. Murmur3-style rounds over the ids, then the
 * length; unrelated documents collide with probability ~2^-64 per pair.
 */
public final class IdsHash {
  private static final long C1 = 0x87C37B91114253D5L;
  private static final long C2 = 0x4CF5AD432745937FL;

  private IdsHash() {}

  /** The hash of {@code ids[0, n)}. */
  public static long of(int[] ids, int n) {
    long h = 0x9E3779B97F4A7C15L;
    int i = 0;
    for (; i + 1 < n; i += 2) {
      long k = (ids[i] & 0xFFFFFFFFL) | ((long) ids[i + 1] << 32);
      h ^= Long.rotateLeft(k * C1, 31) * C2;
      h = Long.rotateLeft(h, 27) * 5 + 0x52DCE729;
    }
    if (i < n) {
      h ^= Long.rotateLeft((ids[i] & 0xFFFFFFFFL) * C1, 31) * C2;
    }
    h ^= n;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    return h ^ (h >>> 33);
  }

  /** The hash of all of {@code ids}. */
  public static long of(int[] ids) {
    return of(ids, ids.length);
  }
}
