package dev.longmix.jobs.evalset;

import dev.longmix.common.eval.IdsHash;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The eval pool's documents as pack compares packed documents with them: their lengths and the
 * {@link IdsHash} of their ids. A packed document is hashed only when some eval document has its
 * length, so the check costs next to nothing for the rest.
 *
 * @param lengths the pool documents' distinct lengths, sorted
 * @param hashes their ids hashes, sorted
 */
public record EvalPool(int[] lengths, long[] hashes) implements Serializable {

  /** The pool of the holdout record's documents. */
  static EvalPool of(HoldoutRecord.Documents docs) {
    int[] lengths = Arrays.stream(docs.nTokens()).distinct().sorted().toArray();
    long[] hashes = docs.idsHashes().clone();
    Arrays.sort(hashes);
    return new EvalPool(lengths, hashes);
  }

  /** Whether {@code ids[0, n)} equals an eval document's ids (by length, then hash). */
  public boolean contains(int[] ids, int n) {
    return Arrays.binarySearch(lengths, n) >= 0
        && Arrays.binarySearch(hashes, IdsHash.of(ids, n)) >= 0;
  }

  public int size() {
    return hashes.length;
  }
}
