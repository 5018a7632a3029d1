package dev.longmix.common.tokenizer;

import ai.djl.huggingface.tokenizers.jni.LibUtils;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} driven through the Rust core's ids-only JNI path.
 *
 * <p>Three deliberate departures from loading the file as-is: truncation and padding are removed
 * (DJL would otherwise cut documents at 512 tokens); special added tokens are not matched inside
 * document text, so a literal {@code </s>} in a web page stays text as SentencePiece treats it; and
 * only ids are fetched per document (no token strings or offsets), which is about twice as fast.
 *
 * <p>For SentencePiece-style BPE tokenizers (LLaMA-2, Mistral: the whole document is one BPE word)
 * the document is cut into words where the tokenizer's own merges prove no merge can cross (see
 * {@link WordCuts}), and each thread memoizes word → ids ({@link WordMemo}): about 90% of words are
 * then found in Java and the native tokenizer sees only the rest, with exactly the ids of
 * tokenizing the whole text (tested against it and against the Python bindings). Other tokenizers
 * go through the native tokenizer whole, as loaded.
 *
 * <p>Instances are thread-safe: the Rust tokenizer is immutable once built, and the word encoders
 * are per thread.
 */
public final class HfTokenizer implements AutoCloseable {
  static {
    // DJL reports usage unless told not to; an executor must never phone home.
    System.setProperty("OPT_OUT_TRACKING", "true");
    // Loads the bundled native library (extracted once per machine to DJL's cache directory).
    LibUtils.checkStatus();
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final long handle;
  // SentencePiece-style tokenizers only: the same vocabulary without the leading-space prepend
  // and without special tokens, for the second and later pieces of a long text (LongTextSplit).
  private final long continuation;
  private final SpecialTokens special;
  private final int bosId;
  private final int eosId;
  private final int vocabSize;
  // Where words segment independently (see WordCuts): each thread's word encoder and memo. Null
  // when the tokenizer lacks that shape.
  private final ThreadLocal<WordEncoder> encoders;
  private boolean closed;

  private HfTokenizer(
      long handle,
      long continuation,
      WordCuts wordCuts,
      int memoEntries,
      SpecialTokens special,
      int bosId,
      int eosId,
      int vocabSize) {
    this.handle = handle;
    this.continuation = continuation;
    this.special = special;
    this.bosId = bosId;
    this.eosId = eosId;
    this.vocabSize = vocabSize;
    int[] prefix = wordCuts != null ? templatePrefix(handle, special) : null;
    int[] head = prefix == null || bosId < 0 ? prefix : new int[] {bosId};
    this.encoders =
        prefix == null
            ? null
            : ThreadLocal.withInitial(
                () ->
                    new WordEncoder(
                        wordCuts,
                        text -> ids(continuation, text, false),
                        head,
                        eosId,
                        new WordMemo(memoEntries)));
  }

  /** The ids the post-processor adds before a text, or null if it adds any after it. */
  private static int[] templatePrefix(long handle, SpecialTokens special) {
    if (special != SpecialTokens.POST_PROCESSOR) {
      return new int[0];
    }
    long[] with = ids(handle, "a b", true);
    long[] without = ids(handle, "a b", false);
    int extra = with.length - without.length;
    if (extra < 0 || !Arrays.equals(with, extra, with.length, without, 0, without.length)) {
      return null;
    }
    int[] prefix = new int[extra];
    for (int i = 0; i < extra; i++) {
      prefix[i] = (int) with[i];
    }
    return prefix;
  }

  /**
   * Builds a tokenizer from the text of a {@code tokenizer.json}.
   *
   * @param bosToken the BOS token's text, used by {@link SpecialTokens#BOS}/{@code BOS_EOS}
   * @param eosToken the EOS token's text, used by {@link SpecialTokens#EOS}/{@code BOS_EOS}
   * @throws IllegalArgumentException if the JSON is not a tokenizer or a needed token is missing
   */
  public static HfTokenizer fromJson(
      String tokenizerJson, SpecialTokens special, String bosToken, String eosToken) {
    return fromJson(tokenizerJson, special, bosToken, eosToken, WordMemo.MAX_ENTRIES);
  }

  /** As above, with each thread's word memo emptied after {@code memoEntries} words (tests). */
  static HfTokenizer fromJson(
      String tokenizerJson,
      SpecialTokens special,
      String bosToken,
      String eosToken,
      int memoEntries) {
    JsonNode root;
    try {
      root = JSON.readTree(tokenizerJson);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON document: " + e.getMessage(), e);
    }
    if (!(root instanceof ObjectNode obj) || !root.has("model")) {
      throw new IllegalArgumentException("not a tokenizer.json: no 'model' object");
    }
    int bos = -1;
    int eos = -1;
    if (special == SpecialTokens.BOS || special == SpecialTokens.BOS_EOS) {
      bos = tokenId(root, bosToken).orElseThrow(() -> missing("BOS", bosToken));
    }
    if (special == SpecialTokens.EOS || special == SpecialTokens.BOS_EOS) {
      eos = tokenId(root, eosToken).orElseThrow(() -> missing("EOS", eosToken));
    }
    int vocab = vocabSize(root);
    obj.putNull("truncation");
    obj.putNull("padding");
    if (obj.get("added_tokens") instanceof ArrayNode added) {
      for (Iterator<JsonNode> it = added.elements(); it.hasNext(); ) {
        if (it.next().path("special").asBoolean(false)) {
          it.remove();
        }
      }
    }
    long handle = TokenizersLibrary.LIB.createTokenizerFromString(obj.toString());
    long continuation = 0;
    WordCuts cuts = null;
    if (LongTextSplit.applies(obj, special == SpecialTokens.POST_PROCESSOR)) {
      continuation =
          TokenizersLibrary.LIB.createTokenizerFromString(
              LongTextSplit.continuationJson(obj).toString());
      // Added tokens are matched in the raw text before normalisation; none may remain.
      if (obj.path("added_tokens").isEmpty()) {
        cuts = WordCuts.of(obj, vocab);
      }
    }
    return new HfTokenizer(handle, continuation, cuts, memoEntries, special, bos, eos, vocab);
  }

  /** Token ids of one document, framed as the {@link SpecialTokens} policy says. */
  public int[] encode(String text) {
    boolean postProcess = special == SpecialTokens.POST_PROCESSOR;
    if (encoders != null && !text.isEmpty()) {
      int[] out = encoders.get().encode(text);
      if (out != null) {
        return out;
      }
    }
    long[] ids;
    if (continuation != 0 && text.length() > LongTextSplit.MIN_CHARS) {
      ids = encodeSplit(text, postProcess);
    } else {
      ids = ids(handle, text, postProcess);
    }
    return frame(ids);
  }

  /** Whether long texts are tokenized in pieces (provably the same ids, see LongTextSplit). */
  public boolean splitsLongTexts() {
    return continuation != 0;
  }

  /**
   * Tokenizes a long text in pieces cut before a space that follows a non-space character; the
   * first piece through the full tokenizer, the others through the continuation one. BPE merges
   * inside one pre-tokenized word are super-linear in its length, and these tokenizers make the
   * whole document one word: pieces keep a book at the speed of ordinary documents.
   */
  private long[] encodeSplit(String text, boolean postProcess) {
    int[] cuts = LongTextSplit.cuts(text);
    long[][] parts = new long[cuts.length + 1][];
    int total = 0;
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : text.length();
      String piece = text.substring(from, to);
      parts[i] = i == 0 ? ids(handle, piece, postProcess) : ids(continuation, piece, false);
      total += parts[i].length;
      from = to;
    }
    long[] all = new long[total];
    int at = 0;
    for (long[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  /** Whether words are memoized (see {@link WordMemo}); the ids are the same either way. */
  public boolean memoizesWords() {
    return encoders != null;
  }

  /** This thread's word lookups and how many found the word memoized: {lookups, hits}. */
  public long[] memoCounts() {
    if (encoders == null) {
      return new long[2];
    }
    WordMemo memo = encoders.get().memo();
    return new long[] {memo.lookups(), memo.hits()};
  }

  /** Ids of the whole text in one call, never split (for tests and comparisons). */
  public int[] encodeWhole(String text) {
    return frame(ids(handle, text, special == SpecialTokens.POST_PROCESSOR));
  }

  /**
   * The ids this tokenizer's framing puts before and after a document's text (LLaMA-2's
   * post-processor: {@code <s>} before, nothing after), found by framing a probe text.
   *
   * @return {@code {head, tail}}
   * @throws IllegalStateException when the framing changes the text's own ids
   */
  public int[][] framing() {
    String probe = "a b";
    int[] framed = encodeWhole(probe);
    long[] bare = ids(handle, probe, false);
    for (int off = 0; off + bare.length <= framed.length; off++) {
      boolean match = true;
      for (int i = 0; i < bare.length && match; i++) {
        match = framed[off + i] == bare[i];
      }
      if (match) {
        return new int[][] {
          Arrays.copyOfRange(framed, 0, off),
          Arrays.copyOfRange(framed, off + bare.length, framed.length)
        };
      }
    }
    throw new IllegalStateException(
        "the framing changes the ids of the text itself: " + Arrays.toString(framed));
  }

  private int[] frame(long[] ids) {
    int head = bosId >= 0 ? 1 : 0;
    int tail = eosId >= 0 ? 1 : 0;
    int[] out = new int[ids.length + head + tail];
    if (head == 1) {
      out[0] = bosId;
    }
    for (int i = 0; i < ids.length; i++) {
      out[head + i] = (int) ids[i];
    }
    if (tail == 1) {
      out[out.length - 1] = eosId;
    }
    return out;
  }

  private static long[] ids(long tokenizer, String text, boolean addSpecial) {
    long encoding = TokenizersLibrary.LIB.encode(tokenizer, text, addSpecial);
    try {
      return TokenizersLibrary.LIB.getTokenIds(encoding);
    } finally {
      TokenizersLibrary.LIB.deleteEncoding(encoding);
    }
  }

  /** One more than the largest id in the model's vocabulary and added tokens. */
  public int vocabSize() {
    return vocabSize;
  }

  /** The id of a token's text in the vocabulary or the added tokens. */
  public static OptionalInt tokenId(JsonNode root, String token) {
    for (JsonNode t : root.path("added_tokens")) {
      if (token.equals(t.path("content").asText(null))) {
        return OptionalInt.of(t.path("id").asInt());
      }
    }
    JsonNode v = root.path("model").path("vocab");
    if (v.isObject() && v.has(token)) {
      return OptionalInt.of(v.get(token).asInt());
    }
    return OptionalInt.empty();
  }

  /**
   * One more than the largest id in a parsed {@code tokenizer.json}'s vocabulary and added tokens.
   */
  public static int vocabSize(JsonNode root) {
    int max = -1;
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      for (JsonNode id : vocab) {
        max = Math.max(max, id.asInt());
      }
    } else if (vocab.isArray()) {
      max = vocab.size() - 1; // Unigram: a list of [piece, score]
    }
    for (JsonNode t : root.path("added_tokens")) {
      max = Math.max(max, t.path("id").asInt());
    }
    return max + 1;
  }

  private static IllegalArgumentException missing(String role, String token) {
    return new IllegalArgumentException(
        role + " token '" + token + "' is not in the tokenizer's vocabulary");
  }

  /** Hex SHA-256 of a tokenizer file's bytes: the identity recorded in every manifest. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes tokenizer file bytes as UTF-8 text. */
  public static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      TokenizersLibrary.LIB.deleteTokenizer(handle);
      if (continuation != 0) {
        TokenizersLibrary.LIB.deleteTokenizer(continuation);
      }
    }
  }
}
