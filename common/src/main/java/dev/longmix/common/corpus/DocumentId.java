package dev.longmix.common.corpus;

import java.nio.charset.StandardCharsets;

/**
 * Stable 64-bit document ids from provenance: the source path relative to the input root and the
 * line, so the id is the same on every rerun, partitioning and filesystem (local, S3, GCS).
 */
public final class DocumentId {
  private DocumentId() {}

  public static long of(String relativeSource, long line) {
    long h = 0xcbf29ce484222325L;
    for (byte b : relativeSource.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return mix(mix(h) ^ line);
  }

  /** The SplitMix64 finaliser: a bijection that spreads every input bit over the output. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
