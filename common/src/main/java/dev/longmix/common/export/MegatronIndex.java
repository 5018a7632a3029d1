package dev.longmix.common.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Megatron-LM's indexed dataset (its {@code MMIDIDX} layout, docs/output-format.md): a {@code .bin}
 * of token ids back to back and an {@code .idx} of header, sequence lengths, byte pointers and
 * document indices, little-endian. One instance collects one file pair: {@link #add} writes a
 * sequence's ids to the {@code .bin} stream and notes its length and whether it begins a document;
 * {@link #writeIndex} then writes the {@code .idx} (version 1, without the multimodal modes).
 *
 * <p>With an EOD id, every sequence ends with it: {@link #add} appends it after the sequence's ids
 * unless the last of them already is that id (a document framed with EOS by the tokenizer), and the
 * appended id is part of the sequence (its length, the next pointer). Megatron-LM's GPT dataset
 * shuffles sequences and resets positions and attention only at its EOD id, so a sequence without
 * one would be read as continuing into whichever sequence the shuffle puts after it.
 */
public final class MegatronIndex {
  static final byte[] MAGIC = {'M', 'M', 'I', 'D', 'I', 'D', 'X', 0, 0};
  static final long VERSION = 1;
  static final int HEADER_BYTES = 9 + 8 + 1 + 8 + 8;

  /** The token id types longmix writes, with Megatron's dtype codes. */
  public enum Dtype {
    UINT16(8, 2),
    INT32(4, 4);

    final int code;
    final int bytes;

    Dtype(int code, int bytes) {
      this.code = code;
      this.bytes = bytes;
    }

    /**
     * The type Megatron's own preprocessing picks for {@code vocabulary} ids (0 .. vocabulary-1):
     * uint16 below 65,500, int32 otherwise.
     */
    public static Dtype forVocabulary(long vocabulary) {
      return vocabulary < 65_500 ? UINT16 : INT32;
    }

    /** Whether {@code id} can be stored as this type. */
    public boolean holds(int id) {
      return this == INT32 ? id >= 0 : (id & 0xFFFF0000) == 0;
    }

    public int bytes() {
      return bytes;
    }
  }

  private final Dtype dtype;
  private final OutputStream bin;
  private final int eod;
  private long eodAppended;
  private int[] lengths = new int[1024];
  private int sequences;
  private long[] documentStarts = new long[1024];
  private int documents;
  private long tokens;
  private byte[] buffer = new byte[1 << 16];

  /** Ids of {@code dtype} go to {@code bin} as sequences are added, without an EOD. */
  public MegatronIndex(Dtype dtype, OutputStream bin) {
    this(dtype, bin, OptionalInt.empty());
  }

  /**
   * Ids of {@code dtype} go to {@code bin} as sequences are added, each sequence ending with {@code
   * eod} when one is given.
   *
   * @throws IllegalArgumentException when {@code dtype} cannot hold {@code eod}
   */
  public MegatronIndex(Dtype dtype, OutputStream bin, OptionalInt eod) {
    if (eod.isPresent() && !dtype.holds(eod.getAsInt())) {
      throw new IllegalArgumentException(
          "EOD id " + eod.getAsInt() + " does not fit " + dtype.name().toLowerCase(Locale.ROOT));
    }
    this.dtype = dtype;
    this.bin = bin;
    this.eod = eod.orElse(-1);
  }

  /**
   * Appends ids[from, from + length) as one sequence, followed by the EOD id when there is one and
   * ids[from + length - 1] is not it; {@code startsDocument} when it begins a document (a sequence
   * that continues the previous one's document does not; the first sequence always begins one, as
   * the index starts with document 0 at sequence 0).
   *
   * @throws IllegalArgumentException for an empty sequence or an id the type cannot hold (the
   *     caller names the row)
   */
  public void add(int[] ids, int from, int length, boolean startsDocument) throws IOException {
    if (length <= 0) {
      throw new IllegalArgumentException("a sequence of " + length + " tokens");
    }
    if (sequences == 0 && !startsDocument) {
      startsDocument = true; // a file's first sequence begins its first document
    }
    if (startsDocument) {
      if (documents == documentStarts.length) {
        documentStarts = Arrays.copyOf(documentStarts, 2 * documents);
      }
      documentStarts[documents++] = sequences;
    }
    if (sequences == lengths.length) {
      lengths = Arrays.copyOf(lengths, 2 * sequences);
    }
    boolean appendEod = eod >= 0 && ids[from + length - 1] != eod;
    int written = appendEod ? length + 1 : length;
    lengths[sequences++] = written;
    int need = written * dtype.bytes;
    if (buffer.length < need) {
      buffer = new byte[need];
    }
    ByteBuffer b = ByteBuffer.wrap(buffer, 0, need).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = from; i < from + length; i++) {
      int id = ids[i];
      if (!dtype.holds(id)) {
        throw new IllegalArgumentException(
            "id " + id + " at " + i + " does not fit " + dtype.name().toLowerCase(Locale.ROOT));
      }
      if (dtype == Dtype.UINT16) {
        b.putShort((short) id);
      } else {
        b.putInt(id);
      }
    }
    if (appendEod) {
      if (dtype == Dtype.UINT16) {
        b.putShort((short) eod);
      } else {
        b.putInt(eod);
      }
      eodAppended++;
    }
    bin.write(buffer, 0, need);
    tokens += written;
  }

  public int sequences() {
    return sequences;
  }

  public int documents() {
    return documents;
  }

  /** Ids written to the {@code .bin}, appended EOD ids included. */
  public long tokens() {
    return tokens;
  }

  /** EOD ids appended (sequences that did not already end with it). */
  public long eodAppended() {
    return eodAppended;
  }

  /** Bytes written to the {@code .bin}. */
  public long binBytes() {
    return tokens * dtype.bytes;
  }

  /** Bytes of the {@code .idx} that {@link #writeIndex} writes now. */
  public long indexBytes() {
    return HEADER_BYTES + 12L * sequences + 8L * (documents + 1L);
  }

  /**
   * Writes the {@code .idx} of the sequences added so far: the header (magic, version, dtype code,
   * sequence count S, document-index count D = documents + 1), S int32 lengths, S int64 byte
   * pointers, and the D int64 document indices (each document's first sequence, then S).
   */
  public void writeIndex(OutputStream idx) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    head.put(MAGIC)
        .putLong(VERSION)
        .put((byte) dtype.code)
        .putLong(sequences)
        .putLong(documents + 1L);
    idx.write(head.array());
    // In pieces: a file of many sequences would not fit one array.
    ByteBuffer body = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < sequences; i++) {
      body = room(body, 4, idx).putInt(lengths[i]);
    }
    long pointer = 0;
    for (int i = 0; i < sequences; i++) {
      body = room(body, 8, idx).putLong(pointer);
      pointer += (long) lengths[i] * dtype.bytes;
    }
    for (int d = 0; d < documents; d++) {
      body = room(body, 8, idx).putLong(documentStarts[d]);
    }
    room(body, 8, idx).putLong(sequences);
    idx.write(body.array(), 0, body.position());
    idx.flush();
  }

  /** {@code b}, first written out and cleared when it has less than {@code need} bytes left. */
  private static ByteBuffer room(ByteBuffer b, int need, OutputStream out) throws IOException {
    if (b.remaining() < need) {
      out.write(b.array(), 0, b.position());
      b.clear();
    }
    return b;
  }
}
