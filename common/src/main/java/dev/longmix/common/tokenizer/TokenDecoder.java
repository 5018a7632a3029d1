package dev.longmix.common.tokenizer;

import ai.djl.huggingface.tokenizers.jni.LibUtils;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Ids back to text through a {@code tokenizer.json}'s own decoder, its special tokens as the file
 * declares them (so {@code skipSpecial} drops a BOS). {@link HfTokenizer} encodes; this decodes,
 * for the evalset's haystack and prompts. Not thread-safe (its per-token cache).
 */
public final class TokenDecoder implements AutoCloseable {
  static {
    System.setProperty("OPT_OUT_TRACKING", "true");
    LibUtils.checkStatus();
  }

  private final long handle;
  private final long[] anchor;
  private final String anchorText;
  private final Map<Integer, String> texts = new HashMap<>();
  private boolean closed;

  private TokenDecoder(long handle) {
    this.handle = handle;
    long enc = TokenizersLibrary.LIB.encode(handle, "a", false);
    try {
      anchor = TokenizersLibrary.LIB.getTokenIds(enc);
    } finally {
      TokenizersLibrary.LIB.deleteEncoding(enc);
    }
    anchorText = TokenizersLibrary.LIB.decode(handle, anchor, false);
  }

  /** A decoder for the text of a {@code tokenizer.json}. */
  public static TokenDecoder fromJson(String tokenizerJson) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(tokenizerJson);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON document: " + e.getMessage(), e);
    }
    if (!(root instanceof ObjectNode obj) || !root.has("model")) {
      throw new IllegalArgumentException("not a tokenizer.json: no 'model' object");
    }
    obj.putNull("truncation");
    obj.putNull("padding");
    return new TokenDecoder(TokenizersLibrary.LIB.createTokenizerFromString(obj.toString()));
  }

  /** The text of {@code ids[from, to)}. */
  public String decode(int[] ids, int from, int to, boolean skipSpecial) {
    long[] l = new long[to - from];
    for (int i = from; i < to; i++) {
      l[i - from] = ids[i];
    }
    return TokenizersLibrary.LIB.decode(handle, l, skipSpecial);
  }

  /** The text of {@code ids}. */
  public String decode(int[] ids, boolean skipSpecial) {
    return decode(ids, 0, ids.length, skipSpecial);
  }

  /**
   * What token {@code id} adds to running text, its leading space included: the decoding of a short
   * anchor followed by the token, less the anchor's own. (Decoding a token alone drops the space a
   * SentencePiece {@code ▁} stands for at the start of a text.)
   */
  public String tokenText(int id) {
    return texts.computeIfAbsent(id, this::computeTokenText);
  }

  private String computeTokenText(int id) {
    long[] ids = new long[anchor.length + 1];
    for (int i = 0; i < anchor.length; i++) {
      ids[i] = anchor[i];
    }
    ids[anchor.length] = id;
    String both = TokenizersLibrary.LIB.decode(handle, ids, false);
    if (both.startsWith(anchorText)) {
      return both.substring(anchorText.length());
    }
    return TokenizersLibrary.LIB.decode(handle, new long[] {id}, false);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      TokenizersLibrary.LIB.deleteTokenizer(handle);
    }
  }
}
