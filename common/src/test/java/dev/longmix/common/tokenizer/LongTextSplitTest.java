package dev.longmix.common.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Splitting long texts must give exactly the ids of whole-text tokenization. */
class LongTextSplitTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  static String tokenizerJson(Path p) throws IOException {
    return Files.readString(p);
  }

  /** Text with the hazards a cut could meet: space runs, newlines, tabs, unicode, ▁ itself. */
  static String awkwardText(int chars, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] words = {
      "the",
      "tokenizer",
      "naïve",
      "東京",
      "emoji😀",
      "▁literal",
      "</s>",
      "x",
      "  ",
      "\n",
      "\t",
      "don't",
      "1234",
      "a.b",
      "   ",
      "\n\n  ",
      "Ω",
      "--",
      "http://e.org/a?b=c"
    };
    StringBuilder sb = new StringBuilder(chars + 64);
    while (sb.length() < chars) {
      sb.append(words[r.nextInt(words.length)]);
      sb.append(r.nextInt(5) == 0 ? "  " : " ");
    }
    return sb.toString();
  }

  @Test
  void defaultTokenizerSplitsAndMatchesWholeText() throws IOException {
    Path p = ROOT.resolve(".longmix/tokenizers/mistral/tokenizer.json");
    assumeTrue(Files.exists(p), "default tokenizer not fetched (mvn verify fetches it)");
    for (SpecialTokens framing :
        new SpecialTokens[] {SpecialTokens.POST_PROCESSOR, SpecialTokens.BOS_EOS}) {
      try (HfTokenizer t = HfTokenizer.fromJson(tokenizerJson(p), framing, "<s>", "</s>")) {
        assertTrue(t.splitsLongTexts(), "Mistral's tokenizer has the SentencePiece shape");
        for (long seed = 1; seed <= 2; seed++) {
          String text = awkwardText(200_000, seed);
          assertArrayEquals(t.encodeWhole(text), t.encode(text), framing + " seed " + seed);
        }
      }
    }
  }

  @Test
  void sharedTokenizersMatchWholeTextOnRealBooks() throws IOException {
    Path shared = ROOT.resolveSibling("shared");
    assumeTrue(Files.isDirectory(shared.resolve("tokenizers")), "needs ../shared (CI has it)");
    String text = awkwardText(200_000, 7) + realText(shared);
    for (String name : new String[] {"llama2", "mistral", "llama3", "gpt2"}) {
      Path p = shared.resolve("tokenizers").resolve(name).resolve("tokenizer.json");
      try (HfTokenizer t =
          HfTokenizer.fromJson(tokenizerJson(p), SpecialTokens.POST_PROCESSOR, "<s>", "</s>")) {
        boolean sentencePiece = name.equals("llama2") || name.equals("mistral");
        assertEquals(sentencePiece, t.splitsLongTexts(), name);
        assertArrayEquals(t.encodeWhole(text), t.encode(text), name);
      }
    }
  }

  @Test
  void aTemplateThatAppendsEosDisablesSplitting() throws IOException {
    String json =
        HfTokenizerTest.TINY.replace(
            "\"single\":[{\"SpecialToken\":{\"id\":\"<s>\",\"type_id\":0}},"
                + "{\"Sequence\":{\"id\":\"A\",\"type_id\":0}}]",
            "\"single\":[{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},"
                + "{\"SpecialToken\":{\"id\":\"<s>\",\"type_id\":0}}]");
    try (HfTokenizer t = HfTokenizer.fromJson(json, SpecialTokens.POST_PROCESSOR, "<s>", "</s>")) {
      assertFalse(t.splitsLongTexts(), "a word-level tokenizer is not SentencePiece-shaped");
    }
  }

  @Test
  void cutsFallBeforeASpaceThatFollowsANonSpace() {
    String text = awkwardText(200_000, 11);
    int[] cuts = LongTextSplit.cuts(text);
    assertTrue(cuts.length >= 10);
    int prev = 0;
    for (int c : cuts) {
      assertEquals(' ', text.charAt(c));
      assertTrue(text.charAt(c - 1) != ' ');
      assertTrue(c - prev >= LongTextSplit.PIECE_CHARS);
      prev = c;
    }
  }

  private static String realText(Path shared) throws IOException {
    // The corpus README's largest domains are books; any long real text exercises the same path.
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(shared.resolve("corpus").resolve("README.md"))) {
      sb.append(line).append('\n');
    }
    while (sb.length() < 150_000) {
      sb.append(sb, 0, Math.min(sb.length(), 150_000 - sb.length()));
    }
    return sb.toString();
  }
}
