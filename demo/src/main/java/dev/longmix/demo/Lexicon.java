package dev.longmix.demo;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A made-up vocabulary of pseudo-words built from syllables, ranked so that {@link #zipf} draws
 * short words often and long words rarely, like natural text. Fixed seed: the "language" is the
 * same for every corpus seed, only the documents differ.
 */
final class Lexicon {
  private static final String[] ONSETS = {
    "", "", "", "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
    "br", "ch", "cl", "dr", "gr", "pl", "pr", "sh", "st", "th", "tr"
  };
  private static final String[] VOWELS = {
    "a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ou", "ie", "y"
  };
  private static final String[] CODAS = {
    "", "", "", "", "n", "r", "s", "l", "t", "m", "nd", "st", "rk", "ng", "x"
  };

  static final Lexicon DEFAULT = new Lexicon(0x5EED_1E8AL, 6000);

  private final String[] words;
  private final double lnSize;

  Lexicon(long seed, int size) {
    SplittableRandom r = new SplittableRandom(seed);
    words = new String[size];
    Set<String> seen = new HashSet<>();
    int n = 0;
    while (n < size) {
      int syllables;
      if (n < 60) {
        syllables = 1;
      } else if (n < 1000) {
        syllables = 1 + r.nextInt(2);
      } else {
        syllables = 2 + r.nextInt(3);
      }
      StringBuilder w = new StringBuilder();
      for (int s = 0; s < syllables; s++) {
        w.append(ONSETS[r.nextInt(ONSETS.length)]);
        w.append(VOWELS[r.nextInt(VOWELS.length)]);
        if (n >= 60 || r.nextInt(3) == 0) {
          w.append(CODAS[r.nextInt(CODAS.length)]);
        }
      }
      String word = w.toString();
      if (seen.add(word)) {
        words[n++] = word;
      }
    }
    lnSize = Math.log(size);
  }

  int size() {
    return words.length;
  }

  String word(int rank) {
    return words[rank];
  }

  /** A word drawn with probability roughly proportional to 1/rank. */
  String zipf(SplittableRandom r) {
    int idx = (int) Math.exp(r.nextDouble() * lnSize) - 1;
    return words[Math.min(Math.max(idx, 0), words.length - 1)];
  }

  /** A content word: skips the most frequent short words. */
  String content(SplittableRandom r) {
    int lo = 80;
    int idx = lo + (int) (Math.exp(r.nextDouble() * Math.log(words.length - lo)) - 1);
    return words[Math.min(idx, words.length - 1)];
  }
}
