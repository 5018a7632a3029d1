package dev.longmix.common.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * When and where a long text may be tokenized in pieces with exactly the ids of the whole text.
 *
 * <p>It applies to SentencePiece-style BPE tokenizers as Hugging Face converts them (LLaMA-2,
 * Mistral): normalizer {@code Prepend("▁") + Replace(" ", "▁")}, no pre-tokenizer, so the whole
 * document is one BPE word. The argument: cut only before a space that follows a non-space
 * character. After normalisation that boundary lies between some character x ≠ ▁ and a ▁. A BPE
 * merge across it would create a symbol containing "x▁", and every merge result is a vocabulary
 * entry, so if no vocabulary entry has a ▁ right after another character (checked here, on the
 * actual file) no merge ever crosses the cut and both sides segment independently. The first piece
 * keeps the Prepend and the post-processor's prefix (BOS); later pieces go through a copy of the
 * tokenizer without either, so the normalised pieces concatenate to the normalised whole. A
 * post-processor that appends tokens after the text (an EOS template) disables splitting.
 */
final class LongTextSplit {
  /** Texts up to this many characters are tokenized in one call. */
  static final int MIN_CHARS = 64 * 1024;

  /** Target piece length; a piece ends at the first allowed cut after it. */
  static final int PIECE_CHARS = 16 * 1024;

  private static final String SPACE_MARK = "\u2581";

  private LongTextSplit() {}

  /** Whether the tokenizer (after longmix's own rewrite) has the shape the argument needs. */
  static boolean applies(ObjectNode tokenizer, boolean postProcess) {
    JsonNode model = tokenizer.path("model");
    if (!"BPE".equals(model.path("type").asText()) || !tokenizer.path("pre_tokenizer").isNull()) {
      return false;
    }
    // Dropout makes merges random; ignore_merges looks a whole word up in the vocabulary first,
    // which depends on where the word ends.
    JsonNode dropout = model.path("dropout");
    if (!(dropout.isNull() || dropout.isMissingNode())
        || model.path("ignore_merges").asBoolean(false)) {
      return false;
    }
    JsonNode n = tokenizer.path("normalizer");
    if (!"Sequence".equals(n.path("type").asText()) || n.path("normalizers").size() != 2) {
      return false;
    }
    JsonNode prepend = n.path("normalizers").get(0);
    JsonNode replace = n.path("normalizers").get(1);
    if (!"Prepend".equals(prepend.path("type").asText())
        || !SPACE_MARK.equals(prepend.path("prepend").asText())
        || !"Replace".equals(replace.path("type").asText())
        || !" ".equals(replace.path("pattern").path("String").asText(null))
        || !SPACE_MARK.equals(replace.path("content").asText())) {
      return false;
    }
    for (JsonNode added : tokenizer.path("added_tokens")) {
      if (added.path("content").asText().contains(" ")) {
        return false; // an added token could span a cut
      }
    }
    if (postProcess && appendsAfterText(tokenizer.path("post_processor"))) {
      return false;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
      String piece = it.next().getKey();
      for (int i = piece.indexOf(SPACE_MARK, 1); i > 0; i = piece.indexOf(SPACE_MARK, i + 1)) {
        if (!piece.startsWith(SPACE_MARK, i - 1)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean appendsAfterText(JsonNode post) {
    if (post.isNull() || post.isMissingNode()) {
      return false;
    }
    if (!"TemplateProcessing".equals(post.path("type").asText())) {
      return true; // unknown processor: do not reason about it
    }
    boolean seenText = false;
    for (JsonNode part : post.path("single")) {
      if (part.has("Sequence")) {
        seenText = true;
      } else if (seenText) {
        return true;
      }
    }
    return false;
  }

  /** The tokenizer for second and later pieces: no Prepend, no post-processor. */
  static ObjectNode continuationJson(ObjectNode tokenizer) {
    ObjectNode copy = tokenizer.deepCopy();
    JsonNode replace = copy.path("normalizer").path("normalizers").get(1);
    copy.set("normalizer", replace);
    copy.putNull("post_processor");
    return copy;
  }

  /** Cut positions (piece starts after the first) for a text longer than {@link #MIN_CHARS}. */
  static int[] cuts(String text) {
    int n = text.length();
    int[] out = new int[n / PIECE_CHARS + 1];
    int count = 0;
    int from = PIECE_CHARS;
    while (from < n) {
      int cut = -1;
      for (int i = from; i < n; i++) {
        if (text.charAt(i) == ' ' && text.charAt(i - 1) != ' ') {
          cut = i;
          break;
        }
      }
      if (cut < 0) {
        break;
      }
      out[count++] = cut;
      from = cut + PIECE_CHARS;
    }
    return java.util.Arrays.copyOf(out, count);
  }
}
