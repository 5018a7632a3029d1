package dev.longmix.common.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Where normalised text may be cut into words that a BPE model segments independently, proved from
 * the tokenizer's own merges, and how to map ids back to the characters they cover.
 *
 * <p>For a tokenizer with {@link LongTextSplit}'s shape (one BPE word per document), a merge that
 * crosses the boundary between characters a and b joins a symbol ending in a with one starting with
 * b, so some merge rule's left side ends with a and its right side starts with b. The cut is
 * therefore safe when no left side ends with a, or no right side starts with b, or (LongTextSplit's
 * vocabulary argument) b is ▁ and a is not. Characters the vocabulary lacks become byte tokens,
 * which is safe only if no merge rule involves a byte token and every byte has one (otherwise
 * unknown characters could fuse into one {@code <unk>} across a cut): both are checked here. A
 * surrogate pair is never cut. Segments that never merge across cuts are merged exactly as they
 * would be inside the whole text, since BPE's choice of the next merge inside one segment does not
 * depend on the others.
 */
final class WordCuts {
  private static final char MARK = '\u2581';

  // Indexed by UTF-16 unit: the last unit of some merge's left side / first of some right side.
  private final boolean[] endsLeft;
  private final boolean[] startsRight;

  /** A character no merge touches on either side: joins words sent to the native side. */
  final char separator;

  // Per id: the UTF-16 length of its text (>= 1), or -1 - b for the byte token of byte b, or 0
  // for an id that cannot stand for text here.
  private final int[] pieceChars;

  private WordCuts(char separator, int[] pieceChars, boolean[] endsLeft, boolean[] startsRight) {
    this.separator = separator;
    this.pieceChars = pieceChars;
    this.endsLeft = endsLeft;
    this.startsRight = startsRight;
  }

  /** Proves the cuts for a tokenizer that {@link LongTextSplit#applies} to, or null. */
  static WordCuts of(ObjectNode tokenizer, int vocabSize) {
    JsonNode model = tokenizer.path("model");
    if (!model.path("byte_fallback").asBoolean(false)) {
      return null;
    }
    JsonNode vocab = model.path("vocab");
    Set<String> byteTokens = new HashSet<>();
    int[] pieceChars = new int[vocabSize];
    for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int id = e.getValue().asInt(-1);
      if (id < 0 || id >= vocabSize) {
        return null;
      }
      int b = byteValue(e.getKey());
      if (b >= 0) {
        byteTokens.add(e.getKey());
        pieceChars[id] = -1 - b;
      } else {
        pieceChars[id] = e.getKey().length();
      }
    }
    if (byteTokens.size() != 256) {
      return null;
    }
    boolean[] endsLeft = new boolean[65536];
    boolean[] startsRight = new boolean[65536];
    for (JsonNode merge : model.path("merges")) {
      String left;
      String right;
      if (merge.isArray() && merge.size() == 2) {
        left = merge.get(0).asText();
        right = merge.get(1).asText();
      } else if (merge.isTextual()) {
        String m = merge.asText();
        int space = m.indexOf(' ');
        if (space <= 0 || space != m.lastIndexOf(' ') || space == m.length() - 1) {
          return null; // a side containing a space would make the pair ambiguous
        }
        left = m.substring(0, space);
        right = m.substring(space + 1);
      } else {
        return null;
      }
      if (left.isEmpty()
          || right.isEmpty()
          || byteTokens.contains(left)
          || byteTokens.contains(right)) {
        return null;
      }
      endsLeft[left.charAt(left.length() - 1)] = true;
      startsRight[right.charAt(0)] = true;
    }
    for (char c : new char[] {'\n', '\t', '\r', '\u0000'}) {
      if (!endsLeft[c] && !startsRight[c]) {
        return new WordCuts(c, pieceChars, endsLeft, startsRight);
      }
    }
    return null;
  }

  /** The byte of a byte-fallback token such as {@code <0x0A>}, or -1. */
  static int byteValue(String piece) {
    if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') {
      return -1;
    }
    int hi = Character.digit(piece.charAt(3), 16);
    int lo = Character.digit(piece.charAt(4), 16);
    if (hi < 0
        || lo < 0
        || Character.isLowerCase(piece.charAt(3))
        || Character.isLowerCase(piece.charAt(4))) {
      return -1;
    }
    return hi * 16 + lo;
  }

  /** Whether normalised text may be cut between adjacent UTF-16 units a and b. */
  boolean cut(char a, char b) {
    if (Character.isHighSurrogate(a)) {
      return false;
    }
    return (b == MARK && a != MARK) || !endsLeft[a] || !startsRight[b];
  }

  /** Text length of an id (see {@link #pieceChars}). */
  int pieceChars(long id) {
    return id >= 0 && id < pieceChars.length ? pieceChars[(int) id] : 0;
  }
}
