package dev.longmix.common.tokenizer;

import java.util.Arrays;
import java.util.function.Function;

/**
 * One thread's word-by-word tokenization of documents for a tokenizer {@link WordCuts} applies to:
 * normalises as the tokenizer does (a ▁ in front, every space to ▁), cuts where no merge can cross,
 * takes known words' ids from the {@link WordMemo} and sends the others to the native tokenizer in
 * batches of about {@link #BATCH_CHARS} characters, joined by a separator character that no merge
 * touches; the ids' text lengths say which ids belong to which word. Batches keep each native call
 * short: the native side merges a whole call as one BPE word, which is super-linear in its length.
 */
final class WordEncoder {
  /** Characters of missing words per native call (a batch ends at the first word past it). */
  static final int BATCH_CHARS = 16 * 1024;

  private static final char MARK = '\u2581';
  private static final int MISS = Integer.MIN_VALUE;

  private final WordCuts cuts;
  private final Function<String, long[]> nativeIds;
  private final int[] head;
  private final int eosId;
  private final WordMemo memo;

  // Per-document scratch, reused across documents.
  private int[] ends = new int[1024]; // each word's end in the normalised text
  // Each word's memo record (>= 0), MISS while its batch is pending, or -1 - k for the k-th word
  // whose ids are kept in localIds (the memo was full or the word is too long to memoize).
  private int[] codes = new int[1024];
  private char[] joined = new char[BATCH_CHARS + 1024];
  private int joinedLength;
  private int[] batchWords = new int[256];
  private int[] batchEnds = new int[256];
  private int batchCount;
  private int[] localIds = new int[1024];
  private int localIdsEnd;
  private int[] localStart = new int[64];
  private int localCount;

  WordEncoder(
      WordCuts cuts, Function<String, long[]> nativeIds, int[] head, int eosId, WordMemo memo) {
    this.cuts = cuts;
    this.nativeIds = nativeIds;
    this.head = head;
    this.eosId = eosId;
    this.memo = memo;
  }

  WordMemo memo() {
    return memo;
  }

  /**
   * The framed ids of a non-empty text, or null (the caller tokenizes the whole text) for text with
   * an unpaired surrogate, whose conversion to UTF-8 is the native side's business, or if the ids
   * do not line up with the words sent.
   */
  int[] encode(String text) {
    int n = text.length();
    char[] buf = new char[n + 1];
    buf[0] = MARK;
    text.getChars(0, n, buf, 1);
    for (int i = 1; i <= n; i++) {
      char c = buf[i];
      if (c == ' ') {
        buf[i] = MARK;
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(buf[i + 1])) {
          i++;
        } else {
          return null;
        }
      }
    }
    memo.startDocument();
    joinedLength = 0;
    batchCount = 0;
    localIdsEnd = 0;
    localCount = 0;
    int words = 0;
    int from = 0;
    int h = 1;
    for (int i = 1; i <= n + 1; i++) {
      if (i == n + 1 || cuts.cut(buf[i - 1], buf[i])) {
        if (words == ends.length) {
          ends = Arrays.copyOf(ends, words * 2);
          codes = Arrays.copyOf(codes, words * 2);
        }
        int code = MISS;
        if (i - from <= WordMemo.MAX_WORD_CHARS) {
          int e = memo.find(buf, from, i, h);
          if (e >= 0) {
            code = e;
          }
        }
        memo.count(code != MISS);
        ends[words] = i;
        codes[words] = code;
        if (code == MISS) {
          addToBatch(words, buf, from, i);
          if (joinedLength >= BATCH_CHARS && !flush(buf)) {
            return null;
          }
        }
        words++;
        from = i;
        h = 1;
      }
      if (i <= n) {
        h = 31 * h + buf[i];
      }
    }
    if (batchCount > 0 && !flush(buf)) {
      return null;
    }
    int total = head.length + (eosId >= 0 ? 1 : 0);
    for (int w = 0; w < words; w++) {
      int c = codes[w];
      total += c >= 0 ? memo.idCount(c) : localEnd(-1 - c) - localStart[-1 - c];
    }
    int[] out = new int[total];
    System.arraycopy(head, 0, out, 0, head.length);
    int at = head.length;
    int[] pool = memo.pool();
    for (int w = 0; w < words; w++) {
      int c = codes[w];
      int len;
      if (c >= 0) {
        len = memo.idCount(c);
        System.arraycopy(pool, memo.idStart(c), out, at, len);
      } else {
        int k = -1 - c;
        len = localEnd(k) - localStart[k];
        System.arraycopy(localIds, localStart[k], out, at, len);
      }
      at += len;
    }
    if (eosId >= 0) {
      out[at] = eosId;
    }
    return out;
  }

  private int localEnd(int k) {
    return k + 1 < localCount ? localStart[k + 1] : localIdsEnd;
  }

  private void addToBatch(int word, char[] buf, int from, int to) {
    int need = joinedLength + 1 + (to - from);
    if (need > joined.length) {
      joined = Arrays.copyOf(joined, Math.max(need, joined.length * 2));
    }
    if (batchCount > 0) {
      joined[joinedLength++] = cuts.separator;
    }
    System.arraycopy(buf, from, joined, joinedLength, to - from);
    joinedLength += to - from;
    if (batchCount == batchWords.length) {
      batchWords = Arrays.copyOf(batchWords, batchCount * 2);
      batchEnds = Arrays.copyOf(batchEnds, batchCount * 2);
    }
    batchWords[batchCount] = word;
    batchEnds[batchCount++] = joinedLength;
  }

  /** Tokenizes the pending batch and files each word's ids in the memo or the local pool. */
  private boolean flush(char[] buf) {
    long[] ids = nativeIds.apply(new String(joined, 0, joinedLength));
    int[] bounds = tokenBounds(cuts, ids, Arrays.copyOf(batchEnds, batchCount));
    if (bounds == null) {
      return false;
    }
    for (int k = 0; k < batchCount; k++) {
      int w = batchWords[k];
      int from = w == 0 ? 0 : ends[w - 1];
      int to = ends[w];
      int e = -1;
      if (to - from <= WordMemo.MAX_WORD_CHARS) {
        int hash = WordMemo.hash(buf, from, to);
        e = memo.find(buf, from, to, hash); // an earlier copy in this document may be in
        if (e < 0) {
          e = memo.put(-1 - e, buf, from, to, hash, ids, bounds[2 * k], bounds[2 * k + 1]);
        }
      }
      if (e >= 0) {
        codes[w] = e;
      } else {
        codes[w] = -1 - keepLocally(ids, bounds[2 * k], bounds[2 * k + 1]);
      }
    }
    joinedLength = 0;
    batchCount = 0;
    return true;
  }

  private int keepLocally(long[] ids, int from, int to) {
    if (localCount == localStart.length) {
      localStart = Arrays.copyOf(localStart, localCount * 2);
    }
    if (localIdsEnd + (to - from) > localIds.length) {
      localIds = Arrays.copyOf(localIds, Math.max(localIdsEnd + to - from, localIds.length * 2));
    }
    localStart[localCount] = localIdsEnd;
    for (int t = from; t < to; t++) {
      localIds[localIdsEnd++] = (int) ids[t];
    }
    return localCount++;
  }

  /**
   * For words joined by one-character separators, whose ends (in the joined text) are {@code ends}:
   * each word's first and one-past-last id, as pairs; null if an id straddles a word's edge or has
   * no text. Byte tokens add up to whole characters by their UTF-8 lead bytes.
   */
  static int[] tokenBounds(WordCuts cuts, long[] ids, int[] ends) {
    int[] bounds = new int[2 * ends.length];
    int pos = 0;
    int pending = 0; // continuation bytes still to come in the current character
    int units = 0; // UTF-16 units of the current byte-encoded character
    int k = 0;
    int wordStart = 0;
    boolean inWord = true;
    for (int t = 0; t < ids.length; t++) {
      int v = cuts.pieceChars(ids[t]);
      if (v > 0) {
        if (pending != 0) {
          return null;
        }
        pos += v;
      } else if (v < 0) {
        int b = -1 - v;
        if (pending == 0) {
          int len =
              b < 0x80 ? 1 : b >= 0xF8 ? 0 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
          if (len == 0) {
            return null;
          }
          pending = len - 1;
          units = len == 4 ? 2 : 1;
        } else if ((b & 0xC0) == 0x80) {
          pending--;
        } else {
          return null;
        }
        if (pending == 0) {
          pos += units;
        }
      } else {
        return null;
      }
      if (pending != 0) {
        continue;
      }
      if (inWord) {
        if (pos == ends[k]) {
          bounds[2 * k + 1] = t + 1;
          inWord = false;
          k++;
          if (k == ends.length) {
            return t + 1 == ids.length ? bounds : null;
          }
          wordStart = ends[k - 1] + 1; // the separator is one character
        } else if (pos > ends[k]) {
          return null;
        }
      } else {
        // The separator's own ids, then the next word starts.
        if (pos != wordStart) {
          return null;
        }
        bounds[2 * k] = t + 1;
        inWord = true;
      }
    }
    return null;
  }
}
