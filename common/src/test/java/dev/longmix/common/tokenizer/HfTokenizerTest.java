package dev.longmix.common.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Runs on a tiny word-level tokenizer built in the test, so it needs no downloaded vocabulary. */
class HfTokenizerTest {
  // A WordLevel model with a whitespace pre-tokenizer and a template that adds <s>, like LLaMA-2.
  static final String TINY =
      """
      {"version":"1.0","truncation":{"max_length":2,"strategy":"LongestFirst","stride":0,
        "direction":"Right"},"padding":null,
       "added_tokens":[
         {"id":0,"content":"<unk>","single_word":false,"lstrip":false,"rstrip":false,
          "normalized":false,"special":true},
         {"id":1,"content":"<s>","single_word":false,"lstrip":false,"rstrip":false,
          "normalized":false,"special":true},
         {"id":2,"content":"</s>","single_word":false,"lstrip":false,"rstrip":false,
          "normalized":false,"special":true}],
       "normalizer":null,
       "pre_tokenizer":{"type":"Whitespace"},
       "post_processor":{"type":"TemplateProcessing",
         "single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
         "pair":[{"Sequence":{"id":"A","type_id":0}},{"Sequence":{"id":"B","type_id":0}}],
         "special_tokens":{"<s>":{"id":"<s>","ids":[1],"tokens":["<s>"]}}},
       "decoder":null,
       "model":{"type":"WordLevel","unk_token":"<unk>",
         "vocab":{"<unk>":0,"<s>":1,"</s>":2,"hello":3,"world":4,"<":5,">":6,"/":7,"s":8}}}
      """;

  @Test
  void postProcessorAddsBosAndTruncationIsOff() {
    try (HfTokenizer t = HfTokenizer.fromJson(TINY, SpecialTokens.POST_PROCESSOR, "<s>", "</s>")) {
      assertArrayEquals(new int[] {1, 3, 4, 3, 4, 3}, t.encode("hello world hello world hello"));
      assertEquals(9, t.vocabSize());
    }
  }

  @Test
  void literalSpecialTokenTextStaysText() {
    try (HfTokenizer t = HfTokenizer.fromJson(TINY, SpecialTokens.NONE, "<s>", "</s>")) {
      int[] ids = t.encode("hello </s> world");
      assertEquals(3, ids[0]);
      assertEquals(4, ids[ids.length - 1]);
      assertEquals(
          -1, indexOf(ids, 2), () -> "</s> was parsed as control: " + Arrays.toString(ids));
    }
  }

  @Test
  void framingPolicies() {
    try (HfTokenizer t = HfTokenizer.fromJson(TINY, SpecialTokens.BOS_EOS, "<s>", "</s>")) {
      assertArrayEquals(new int[] {1, 3, 2}, t.encode("hello"));
    }
    try (HfTokenizer t = HfTokenizer.fromJson(TINY, SpecialTokens.EOS, "<s>", "</s>")) {
      assertArrayEquals(new int[] {4, 2}, t.encode("world"));
    }
    try (HfTokenizer t = HfTokenizer.fromJson(TINY, SpecialTokens.NONE, "<s>", "</s>")) {
      assertArrayEquals(new int[] {3}, t.encode("hello"));
    }
  }

  @Test
  void missingBosTokenIsAConfigurationError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HfTokenizer.fromJson(TINY, SpecialTokens.BOS, "<bos>", "</s>"));
    assertEquals("BOS token '<bos>' is not in the tokenizer's vocabulary", e.getMessage());
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }
}
