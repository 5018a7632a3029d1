package dev.longmix.common.export;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Megatron-LM's indexed dataset (its {@code MMIDIDX} layout, docs/output-format.md): a {@code .bin}
 * of token ids back to back and an {@code .idx} of sequence lengths, byte pointers and document
 * indices, little-endian. One instance collects one file pair: {@link #add} writes a sequence's ids
 * to the {@code .bin} stream and notes its length; {@link #writeIndex} writes the {@code .idx}.
 */
public final class MegatronIndex {
  static final byte[] MAGIC = {'M', 'M', 'I', 'D', 'I', 'D', 'X', 0, 0};
  static final long VERSION = 1;

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
     * The narrowest type for ids below {@code vocabulary}: uint16 below 65,500, as Megatron picks.
     */
    public static Dtype forVocabulary(long vocabulary) {
      return vocabulary < 65_500 ? UINT16 : INT32;
    }

    public int bytes() {
      return bytes;
    }
  }

  private final Dtype dtype;
  private final OutputStream bin;
  private int[] lengths = new int[1024];
  private int sequences;
  private long[] documentStarts = new long[1024];
  private int documents;
  private long tokens;
  private byte[] buffer = new byte[1 << 16];

  /** Ids of {@code dtype} go to {@code bin} as sequences are added. */
  public MegatronIndex(Dtype dtype, OutputStream bin) {
    this.dtype = dtype;
    this.bin = bin;
  }

  /**
   * Appends ids[from, from + length) as one sequence; {@code startsDocument} when it begins a
   * document (a sequence that continues the previous one's document does not).
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
    lengths[sequences++] = length;
    int need = length * dtype.bytes;
    if (buffer.length < need) {
      buffer = new byte[need];
    }
    ByteBuffer b = ByteBuffer.wrap(buffer, 0, need).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = from; i < from + length; i++) {
      int id = ids[i];
      if (dtype == Dtype.UINT16) {
        if ((id & 0xFFFF0000) != 0) {
          throw new IllegalArgumentException("id " + id + " does not fit uint16");
        }
        b.putShort((short) id);
      } else {
        b.putInt(id);
      }
    }
    bin.write(buffer, 0, need);
    tokens += length;
  }

  public int sequences() {
    return sequences;
  }

  public int documents() {
    return documents;
  }

  public long tokens() {
    return tokens;
  }

  /** Bytes written to the {@code .bin}. */
  public long binBytes() {
    return tokens * dtype.bytes;
  }

  /** Writes the {@code .idx} of the sequences added so far. */
  public void writeIndex(OutputStream idx) throws IOException {
    ByteBuffer head =
        ByteBuffer.allocate(MAGIC.length + 8 + 1 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
    head.put(MAGIC)
        .putLong(VERSION)
        .put((byte) dtype.code)
        .putLong(sequences)
        .putLong(documents + 1L);
    DataOutputStream out = new DataOutputStream(idx);
    out.write(head.array());
    ByteBuffer body =
        ByteBuffer.allocate(4 * sequences + 8 * sequences + 8 * (documents + 1))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < sequences; i++) {
      body.putInt(lengths[i]);
    }
    long pointer = 0;
    for (int i = 0; i < sequences; i++) {
      body.putLong(pointer);
      pointer += (long) lengths[i] * dtype.bytes;
    }
    for (int d = 0; d < documents; d++) {
      body.putLong(documentStarts[d]);
    }
    body.putLong(sequences);
    out.write(body.array());
    out.flush();
  }
}
