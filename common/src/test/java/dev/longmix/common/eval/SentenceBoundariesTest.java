package dev.longmix.common.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceBoundariesTest {
  /** The sentence starts of a text given as its tokens' texts. */
  static List<Integer> boundaries(String... t) {
    int[] ids = new int[t.length];
    for (int i = 0; i < t.length; i++) {
      ids[i] = i;
    }
    boolean[] b = SentenceBoundaries.of(ids, id -> t[id]);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < b.length; i++) {
      if (b[i]) {
        out.add(i);
      }
    }
    return out;
  }

  @Test
  void sentencesStartAfterAnEndFollowedBySpace() {
    // SentencePiece style: the space belongs to the next token.
    assertEquals(List.of(0, 3), boundaries("It", " is", ".", " The", " end"));
    // GPT-2 style, a newline token after the period: after the period and after the newline.
    assertEquals(List.of(0, 3, 4), boundaries("It", " is", ".", "\n", "The"));
    assertEquals(List.of(0, 3, 4, 5), boundaries("Go", " on", "!", "\n", "\n", "So"));
    // A token without text of its own (part of a character) passes the state on.
    assertEquals(List.of(0, 4), boundaries("It", " is", ".", "", " The"));
    // LLaMA-3 style: the newlines inside the period's token.
    assertEquals(List.of(0, 3), boundaries("It", " is", ".\n\n", "The"));
    // No space after the period: a number, or an abbreviation glued to the next letter.
    assertEquals(List.of(0), boundaries("pi", " is", " 3", ".", "14"));
    assertEquals(List.of(0, 4), boundaries("e", ".", "g", ".", " this"));
    // Closing quotes and brackets after the end.
    assertEquals(List.of(0, 5), boundaries("He", " said", " \"", "no", ".\"", " Then"));
    assertEquals(List.of(0, 4), boundaries("(", "see", " below", ".)", " And"));
    assertEquals(List.of(0, 2, 4), boundaries("Why", "?", " Because", "!", " Yes"));
    // The end of the text is a start when the last token ends a sentence.
    assertEquals(List.of(0, 2), boundaries("Done", "."));
    assertEquals(List.of(0), boundaries("Not", " done"));
    assertEquals(List.of(0), boundaries());
  }
}
