package dev.longmix.common.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Word-by-word tokenization (WordCuts + WordMemo) must give exactly the ids of tokenizing the whole
 * text, and must turn itself off for tokenizers the argument does not cover.
 */
class WordCutsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  /** A small SentencePiece-shaped BPE tokenizer: byte fallback, ▁ words, a few merges. */
  static ObjectNode sentencePieceLike() {
    ObjectNode t = JSON.createObjectNode();
    t.put("version", "1.0");
    t.putNull("truncation");
    t.putNull("padding");
    ArrayNode added = t.putArray("added_tokens");
    String[] specials = {"<unk>", "<s>", "</s>"};
    for (int i = 0; i < specials.length; i++) {
      ObjectNode a = added.addObject();
      a.put("id", i).put("content", specials[i]).put("single_word", false);
      a.put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
    }
    ObjectNode norm = t.putObject("normalizer");
    norm.put("type", "Sequence");
    ArrayNode ns = norm.putArray("normalizers");
    ns.addObject().put("type", "Prepend").put("prepend", "▁");
    ObjectNode replace = ns.addObject().put("type", "Replace");
    replace.putObject("pattern").put("String", " ");
    replace.put("content", "▁");
    t.putNull("pre_tokenizer");
    ObjectNode post = t.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    ArrayNode pair = post.putArray("pair");
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    ObjectNode st = post.putObject("special_tokens").putObject("<s>");
    st.put("id", "<s>");
    st.putArray("ids").add(1);
    st.putArray("tokens").add("<s>");
    t.putNull("decoder");
    ObjectNode model = t.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.put("unk_token", "<unk>");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", true);
    model.put("byte_fallback", true);
    ObjectNode vocab = model.putObject("vocab");
    for (int i = 0; i < specials.length; i++) {
      vocab.put(specials[i], i);
    }
    for (int b = 0; b < 256; b++) {
      vocab.put(String.format("<0x%02X>", b), vocab.size());
    }
    for (String c : "▁abcdefghijklmnopqrstuvwxyz.,'é".split("")) {
      vocab.put(c, vocab.size());
    }
    ArrayNode merges = model.putArray("merges");
    String[][] rules = {
      {"▁", "t"}, {"h", "e"}, {"▁t", "he"}, {"a", "n"}, {"▁", "a"}, {"▁a", "n"}, {"▁", "▁"},
      {"▁▁", "▁▁"}, {"e", "."}, {"o", "n"}, {"▁", "o"}, {"▁o", "n"}, {"i", "n"}, {"in", "g"},
      {"▁", "s"}, {"s", "."}, {"n", "'"}, {"'", "t"}, {"é", "t"}, {"▁", "é"}, {"▁é", "t"}
    };
    for (String[] r : rules) {
      merges.add(r[0] + " " + r[1]);
      if (!vocab.has(r[0] + r[1])) {
        vocab.put(r[0] + r[1], vocab.size());
      }
    }
    return t;
  }

  static String text(SplittableRandom r, int words) {
    String[] pieces = {
      "the",
      "an",
      "on",
      "ing",
      "thing",
      "don't",
      "é",
      "été",
      "東京",
      "😀",
      "x.",
      "e.",
      "s.",
      "\n",
      "\n\n",
      "\t",
      "▁",
      "ﬁ",
      "",
      "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
    };
    StringBuilder sb = new StringBuilder();
    if (r.nextInt(4) == 0) {
      sb.append("  ");
    }
    for (int i = 0; i < words; i++) {
      sb.append(pieces[r.nextInt(pieces.length)]);
      int spaces = r.nextInt(6);
      sb.append(spaces < 3 ? " " : spaces == 3 ? "" : spaces == 4 ? "  " : "    ");
    }
    return sb.toString();
  }

  @Test
  void wordByWordEqualsWholeTextWithTheMemoEmptiedOften() {
    String json = sentencePieceLike().toString();
    for (SpecialTokens framing : SpecialTokens.values()) {
      for (int entries : new int[] {2, 50, WordMemo.MAX_ENTRIES}) {
        try (HfTokenizer t = HfTokenizer.fromJson(json, framing, "<s>", "</s>", entries)) {
          assertTrue(t.memoizesWords(), "the test tokenizer has the shape");
          SplittableRandom r = new SplittableRandom(entries);
          for (int doc = 0; doc < 400; doc++) {
            String text = text(r, 1 + r.nextInt(doc % 50 == 0 ? 3000 : 60));
            assertArrayEquals(t.encodeWhole(text), t.encode(text), framing + " " + text);
          }
          long[] counts = t.memoCounts();
          assertTrue(counts[1] > 0 && counts[1] < counts[0], "some words hit, some missed");
        }
      }
    }
  }

  @Test
  void edgeTexts() {
    try (HfTokenizer t =
        HfTokenizer.fromJson(
            sentencePieceLike().toString(), SpecialTokens.POST_PROCESSOR, "<s>", "</s>", 4)) {
      List<String> texts =
          new ArrayList<>(
              List.of(
                  "",
                  " ",
                  "   ",
                  "a",
                  "the",
                  " the",
                  "the ",
                  "the  ",
                  "\n",
                  "▁",
                  "▁▁ ▁",
                  "😀",
                  "😀😀 😀",
                  "x\ud83dy",
                  "\ude00 the",
                  "the \ud83d",
                  "é\n\nété  \t"));
      for (String text : texts) {
        for (int round = 0; round < 2; round++) { // cold, then from the memo
          assertArrayEquals(t.encodeWhole(text), t.encode(text), "'" + text + "'");
        }
      }
    }
  }

  private static ObjectNode withMerge(ObjectNode t, String left, String right) {
    ObjectNode model = (ObjectNode) t.get("model");
    ObjectNode vocab = (ObjectNode) model.get("vocab");
    for (String s : new String[] {left, right, left + right}) {
      if (!vocab.has(s)) {
        vocab.put(s, vocab.size());
      }
    }
    ((ArrayNode) model.get("merges")).add(left + " " + right);
    return t;
  }

  private static boolean memoizes(ObjectNode t) {
    try (HfTokenizer h = HfTokenizer.fromJson(t.toString(), SpecialTokens.NONE, "<s>", "</s>")) {
      return h.memoizesWords();
    }
  }

  @Test
  void turnsItselfOffWhereTheArgumentDoesNotHold() {
    assertTrue(memoizes(sentencePieceLike()));
    // A merge involving a byte token: characters outside the vocabulary could then merge.
    assertFalse(memoizes(withMerge(sentencePieceLike(), "<0x0A>", "a")));
    // A byte without its token: unknown characters could fuse into one <unk> across a cut.
    ObjectNode missingByte = sentencePieceLike();
    ((ObjectNode) missingByte.get("model").get("vocab")).remove("<0xFF>");
    assertFalse(memoizes(missingByte));
    ObjectNode noFallback = sentencePieceLike();
    ((ObjectNode) noFallback.get("model")).put("byte_fallback", false);
    assertFalse(memoizes(noFallback));
    // No character left that no merge touches, to join the words sent to the native side.
    ObjectNode noSeparator = sentencePieceLike();
    for (String c : new String[] {"\n", "\t", "\r", "\u0000"}) {
      withMerge(noSeparator, c, "a");
    }
    assertFalse(memoizes(noSeparator));
    ObjectNode dropout = sentencePieceLike();
    ((ObjectNode) dropout.get("model")).put("dropout", 0.1);
    assertFalse(memoizes(dropout));
    ObjectNode ignoreMerges = sentencePieceLike();
    ((ObjectNode) ignoreMerges.get("model")).put("ignore_merges", true);
    assertFalse(memoizes(ignoreMerges));
    // A non-special added token is matched in raw text, across any cut.
    ObjectNode addedToken = sentencePieceLike();
    ObjectNode a = ((ArrayNode) addedToken.get("added_tokens")).addObject();
    a.put("id", 3).put("content", "<0x00>").put("single_word", false).put("lstrip", false);
    a.put("rstrip", false).put("normalized", false).put("special", false);
    assertFalse(memoizes(addedToken));
  }

  @Test
  void cutsFollowTheMerges() throws IOException {
    ObjectNode t = sentencePieceLike();
    HfTokenizer h = HfTokenizer.fromJson(t.toString(), SpecialTokens.NONE, "<s>", "</s>");
    h.close();
    WordCuts cuts = WordCuts.of(t, 1000);
    assertNotNull(cuts);
    assertEquals('\n', cuts.separator);
    assertTrue(cuts.cut('e', '▁'), "before ▁ after a non-▁");
    assertFalse(cuts.cut('▁', '▁'), "inside a run of ▁ (▁▁ is a merge)");
    assertFalse(cuts.cut('▁', 't'), "▁t is a merge");
    assertFalse(cuts.cut('e', '.'), "e. is a merge");
    assertTrue(cuts.cut('x', '.'), "no merge's left side ends with x");
    assertTrue(cuts.cut('a', '\n') && cuts.cut('\n', 'a'), "newline never merges");
    assertFalse(cuts.cut('\ud83d', '\ude00'), "never inside a surrogate pair");
    assertEquals(-1 - 0x0A, cuts.pieceChars(3 + 0x0A), "byte token");
    assertEquals(0, cuts.pieceChars(-1));
    assertEquals(-1, WordCuts.byteValue("<0x0a>"));
    assertEquals(255, WordCuts.byteValue("<0xFF>"));
  }

  @Test
  void idsAreMappedBackToWordsByTheirTextLengths() {
    WordCuts cuts = WordCuts.of(sentencePieceLike(), 1000);
    assertNotNull(cuts);
    int e = idOf("e");
    int the = idOf("▁the");
    int nl = 3 + 0x0A; // <0x0A>, the separator's byte token
    // "▁the" + "\n" + "e" + "\n" + "😀" (four byte tokens, two UTF-16 units)
    long[] ids = {the, nl, e, nl, 3 + 0xF0, 3 + 0x9F, 3 + 0x98, 3 + 0x80};
    assertArrayEquals(
        new int[] {0, 1, 2, 3, 4, 8}, WordEncoder.tokenBounds(cuts, ids, new int[] {4, 6, 9}));
    // An id that runs past a word's end, a character cut short, missing or extra ids: no mapping.
    assertNull(WordEncoder.tokenBounds(cuts, ids, new int[] {3, 6, 9}));
    assertNull(WordEncoder.tokenBounds(cuts, Arrays.copyOf(ids, 7), new int[] {4, 6, 9}));
    assertNull(WordEncoder.tokenBounds(cuts, Arrays.copyOf(ids, 3), new int[] {4, 6, 9}));
    long[] extra = Arrays.copyOf(ids, 9);
    extra[8] = e;
    assertNull(WordEncoder.tokenBounds(cuts, extra, new int[] {4, 6, 9}));
    assertNull(WordEncoder.tokenBounds(cuts, new long[] {1, nl, e}, new int[] {1, 3}), "<s>");
    assertNull(
        WordEncoder.tokenBounds(cuts, new long[] {3 + 0x80}, new int[] {1}),
        "a stray continuation");
  }

  private static int idOf(String piece) {
    return sentencePieceLike().get("model").get("vocab").get(piece).asInt();
  }

  @Test
  void threadsSharingOneTokenizerEachGetTheirOwnMemo() throws Exception {
    String json = sentencePieceLike().toString();
    try (HfTokenizer t = HfTokenizer.fromJson(json, SpecialTokens.BOS_EOS, "<s>", "</s>", 16)) {
      List<String> texts = new ArrayList<>();
      SplittableRandom r = new SplittableRandom(5);
      for (int i = 0; i < 300; i++) {
        texts.add(text(r, 1 + r.nextInt(80)));
      }
      List<int[]> expected = new ArrayList<>();
      for (String text : texts) {
        expected.add(t.encodeWhole(text));
      }
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
          int offset = w;
          done.add(
              pool.submit(
                  () -> {
                    int checked = 0;
                    for (int round = 0; round < 3; round++) {
                      for (int i = 0; i < texts.size(); i++) {
                        int k = (i * 7 + offset * 31 + round) % texts.size();
                        assertArrayEquals(expected.get(k), t.encode(texts.get(k)));
                        checked++;
                      }
                    }
                    return checked;
                  }));
        }
        for (java.util.concurrent.Future<Integer> f : done) {
          assertEquals(900, f.get());
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void sharedSentencePieceTokenizersMemoizeAndOthersDoNot() throws IOException {
    Path shared = ROOT.resolveSibling("shared").resolve("tokenizers");
    assumeTrue(Files.isDirectory(shared), "needs ../shared (CI has it)");
    SplittableRandom r = new SplittableRandom(3);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      texts.add(LongTextSplitTest.awkwardText(1 + r.nextInt(4000), i) + text(r, 40));
    }
    for (String name : new String[] {"llama2", "mistral", "llama3", "gpt2"}) {
      String json = Files.readString(shared.resolve(name).resolve("tokenizer.json"));
      try (HfTokenizer t =
          HfTokenizer.fromJson(json, SpecialTokens.POST_PROCESSOR, "<s>", "</s>", 64)) {
        boolean sentencePiece = name.equals("llama2") || name.equals("mistral");
        assertEquals(sentencePiece, t.memoizesWords(), name);
        for (String text : texts) {
          assertArrayEquals(t.encodeWhole(text), t.encode(text), name);
        }
      }
    }
  }
}
