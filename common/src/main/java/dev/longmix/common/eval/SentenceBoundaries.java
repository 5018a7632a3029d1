package dev.longmix.common.eval;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Where in a token sequence a sentence may start: at the start, and before token {@code b} when the
 * text before it ends a sentence ({@code .}, {@code !} or {@code ?}, possibly followed by closing
 * quotes or brackets, then possibly whitespace) and whitespace follows the end (in the text before
 * {@code b} or at the start of token {@code b}). So "end.| Next" and "end.|\n|Next" give starts
 * after the period and after the newline; "3.14" and "e.g.x" give none. The authors' script looks
 * for LLaMA's period tokens only; this reads each token's text, so it works for any tokenizer.
 */
public final class SentenceBoundaries {
  private static final String ENDS = ".!?\u3002\uFF01\uFF1F";
  private static final String CLOSERS = "\"')]\u201D\u2019\u00BB";

  private SentenceBoundaries() {}

  /**
   * {@code out[b]} says whether a sentence may begin before {@code ids[b]} ({@code b} in {@code [0,
   * ids.length]}; at {@code ids.length}: whether the last token ends a sentence).
   *
   * @param tokenText the text a token id stands for in running text (leading space included)
   */
  public static boolean[] of(int[] ids, IntFunction<String> tokenText) {
    Map<Integer, String> texts = new HashMap<>();
    IntFunction<String> text = id -> texts.computeIfAbsent(id, tokenText::apply);
    boolean[] out = new boolean[ids.length + 1];
    out[0] = true;
    boolean ended = false; // the text so far ends a sentence, whitespace aside
    boolean spaced = false; // ... and whitespace follows that end
    for (int b = 1; b <= ids.length; b++) {
      String prev = text.apply(ids[b - 1]);
      if (prev.isEmpty()) {
        // a token with no text of its own (part of a character): the state carries over
      } else if (prev.isBlank()) {
        spaced = true;
      } else {
        ended = endsSentence(prev);
        spaced = endsWithSpace(prev);
      }
      out[b] = ended && (spaced || b == ids.length || startsWithSpace(text.apply(ids[b])));
    }
    return out;
  }

  /** Whether {@code t}, trailing whitespace and closers removed, ends with a sentence's end. */
  static boolean endsSentence(String t) {
    int i = t.length();
    while (i > 0 && isSpace(t.charAt(i - 1))) {
      i--;
    }
    while (i > 0 && CLOSERS.indexOf(t.charAt(i - 1)) >= 0) {
      i--;
    }
    return i > 0 && ENDS.indexOf(t.charAt(i - 1)) >= 0;
  }

  static boolean endsWithSpace(String t) {
    return !t.isEmpty() && isSpace(t.charAt(t.length() - 1));
  }

  static boolean startsWithSpace(String t) {
    return !t.isEmpty() && isSpace(t.charAt(0));
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }
}
