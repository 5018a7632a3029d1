package dev.longmix.common.tokenizer;

import java.util.Arrays;

/**
 * One thread's memo of word → BPE ids, for tokenizers where {@link WordCuts} proves that words
 * segment independently. Natural text repeats a few hundred thousand words over and over, so after
 * a short warm-up most words are found here and never cross into the native tokenizer.
 *
 * <p>An open-addressing table of {@code long}s (the word's hash and where its record starts) over
 * one append-only {@code int} pool; a record is the word's length and id count, its characters two
 * to an int, then its ids, so a lookup touches two places in memory. Records are never removed one
 * by one: when the memo holds its maximum of words or of pool space it is emptied before the next
 * document, which also lets it follow a change of domain. Not thread-safe: {@link HfTokenizer}
 * keeps one per thread.
 */
final class WordMemo {
  /** Longer words are tokenized every time (they rarely repeat: hashes, URLs, minified code). */
  static final int MAX_WORD_CHARS = 64;

  /** Words held before the memo is emptied. */
  static final int MAX_ENTRIES = 1 << 20;

  /**
   * Ints of words and ids held before the memo is emptied (64 MB; with the 16 MB table at most
   * about 80 MB per thread). On the bench corpus the word count binds first (~8 ints a word); this
   * bounds text whose words are long or made of byte tokens. Measured on the bench corpus, one
   * thread: 2^20 words found 93.1% of words in the memo and took 12.5 s, 2^19 words 90.7% and 14.0
   * s, 2^17 words 85.1% and 19.2 s: every missed word costs what the Rust tokenizer costs.
   */
  static final int POOL_INTS = 1 << 24;

  private final int maxEntries;
  private final int poolInts;
  private final long[] slots; // (hash << 32) | (record + 1); 0 = empty
  private int[] pool = new int[1 << 12];
  private int poolEnd;
  private int size;
  private long lookups;
  private long hits;

  /** A memo that empties itself once it holds {@code maxEntries} words (small ones for tests). */
  WordMemo(int maxEntries) {
    this.maxEntries = maxEntries;
    this.poolInts = Math.max(1 << 12, Math.min(POOL_INTS, maxEntries * 16));
    this.slots = new long[Integer.highestOneBit(Math.max(2, maxEntries) * 4 - 1)];
  }

  /** Called before each document: empties the memo once it holds its maximum. */
  void startDocument() {
    if (size >= maxEntries || poolEnd >= poolInts) {
      Arrays.fill(slots, 0L);
      size = 0;
      poolEnd = 0;
    }
  }

  static int hash(char[] buf, int from, int to) {
    int h = 1;
    for (int i = from; i < to; i++) {
      h = 31 * h + buf[i];
    }
    return h;
  }

  /**
   * The record of {@code buf[from, to)}, or {@code -1 - slot} where it would go. Between a miss and
   * the {@link #put} for it nothing else may be added.
   */
  int find(char[] buf, int from, int to, int hash) {
    int mask = slots.length - 1;
    int slot = spread(hash) & mask;
    int len = to - from;
    while (true) {
      long v = slots[slot];
      if (v == 0) {
        return -1 - slot;
      }
      if ((int) (v >>> 32) == hash) {
        int r = (int) v - 1;
        if ((pool[r] & 0xff) == len && sameChars(r + 1, buf, from, len)) {
          return r;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  private boolean sameChars(int at, char[] buf, int from, int len) {
    int i = 0;
    for (; i + 1 < len; i += 2) {
      if (pool[at++] != (buf[from + i] | (buf[from + i + 1] << 16))) {
        return false;
      }
    }
    return i == len || pool[at] == buf[from + i];
  }

  /**
   * Adds a word {@link #find} reported missing ({@code -1 - slot}); returns its record, or -1 when
   * the table is half full (possible inside one long document; the memo is emptied before the
   * next), which keeps every probe sequence short and ending at an empty slot.
   */
  int put(int slot, char[] buf, int from, int to, int hash, long[] src, int srcFrom, int srcTo) {
    if (size >= slots.length / 2) {
      return -1;
    }
    int len = to - from;
    int count = srcTo - srcFrom;
    int r = poolEnd;
    int need = r + 1 + (len + 1) / 2 + count;
    if (need > pool.length) {
      // Doubling up to the budget; past it (only inside one document) just what is needed.
      int grown = pool.length * 2 <= poolInts ? pool.length * 2 : need + (need >> 4);
      pool = Arrays.copyOf(pool, Math.max(grown, need));
    }
    pool[r] = len | (count << 8);
    int at = r + 1;
    int i = 0;
    for (; i + 1 < len; i += 2) {
      pool[at++] = buf[from + i] | (buf[from + i + 1] << 16);
    }
    if (i < len) {
      pool[at++] = buf[from + i];
    }
    for (int k = srcFrom; k < srcTo; k++) {
      pool[at++] = (int) src[k];
    }
    poolEnd = at;
    slots[slot] = ((long) hash << 32) | (r + 1L);
    size++;
    return r;
  }

  /** Where a record's ids start in {@link #pool()}. */
  int idStart(int record) {
    return record + 1 + ((pool[record] & 0xff) + 1) / 2;
  }

  int idCount(int record) {
    return pool[record] >>> 8;
  }

  int[] pool() {
    return pool;
  }

  /** Counts one lookup of a document's word (for the hit rate; re-lookups are not counted). */
  void count(boolean hit) {
    lookups++;
    if (hit) {
      hits++;
    }
  }

  int size() {
    return size;
  }

  long lookups() {
    return lookups;
  }

  long hits() {
    return hits;
  }

  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
