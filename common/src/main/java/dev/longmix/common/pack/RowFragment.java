package dev.longmix.common.pack;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.Externalizable;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The part of one item that lands in one row, placed by the item's global start offset.
 *
 * <p>This is the distributed form of {@link SequencePacker}: with each item's global start (a
 * prefix sum of item lengths in packing order), every item splits independently into fragments
 * keyed by row, and {@link RowAssembler} builds each row from its fragments.
 *
 * @param row the row index
 * @param offsetInRow where the fragment starts in the row
 * @param docId the document's id
 * @param domain the document's domain
 * @param piece the piece index
 * @param copy the copy index
 * @param fromToken offset of the fragment's first token inside its item
 * @param tokens the fragment's token ids (a copy, exactly its length)
 */
@SuppressWarnings("ArrayRecordComponent") // a carrier for shuffles; never compared by value
public record RowFragment(
    long row,
    int offsetInRow,
    long docId,
    String domain,
    int piece,
    int copy,
    int fromToken,
    int[] tokens)
    implements Serializable {

  /** Tokens in the fragment. */
  public int length() {
    return tokens.length;
  }

  /** Whether the fragment continues an item begun in an earlier row. */
  public boolean continuation() {
    return fromToken > 0;
  }

  /** The span this fragment occupies in its row. */
  public Span span() {
    return new Span(offsetInRow, tokens.length, domain, docId, piece, copy, fromToken);
  }

  /**
   * Splits {@code item}, which starts at global token offset {@code globalStart}, into one fragment
   * per row it touches.
   */
  public static List<RowFragment> split(PackItem item, long globalStart, int seqLen) {
    if (globalStart < 0 || seqLen <= 0) {
      throw new IllegalArgumentException(
          "need globalStart >= 0 and seqLen > 0, got " + globalStart + ", " + seqLen);
    }
    List<RowFragment> out = new ArrayList<>();
    int done = 0;
    while (done < item.length()) {
      long at = globalStart + done;
      long row = at / seqLen;
      int offset = (int) (at % seqLen);
      int take = Math.min(item.length() - done, seqLen - offset);
      int from = item.offset() + done;
      out.add(
          new RowFragment(
              row,
              offset,
              item.docId(),
              item.domain(),
              item.piece(),
              item.copy(),
              done,
              Arrays.copyOfRange(item.tokens(), from, from + take)));
      done += take;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowFragment f
        && row == f.row
        && offsetInRow == f.offsetInRow
        && docId == f.docId
        && piece == f.piece
        && copy == f.copy
        && fromToken == f.fromToken
        && domain.equals(f.domain)
        && Arrays.equals(tokens, f.tokens);
  }

  @Override
  public int hashCode() {
    return Objects.hash(row, offsetInRow, docId, piece, copy, fromToken);
  }

  /**
   * Serialized as {@link Wire}: shuffles carry every output token in one of these, and Java's
   * default form of a record writes an {@code int[]} one element at a time through its block
   * buffer; the wire form writes the ids as one little-endian byte block.
   */
  private Object writeReplace() {
    return new Wire(this);
  }

  /**
   * Writes {@code f} in its wire form: the fields, then the ids as one little-endian block, two
   * bytes per id when every id is below 65,536 (LLaMA-2, Mistral, GPT-2: half the bytes to copy,
   * compress and move), else four (LLaMA-3). {@link Wire} and pack's shuffle serializer use it.
   */
  public static void write(DataOutput out, RowFragment f) throws IOException {
    out.writeLong(f.row);
    out.writeInt(f.offsetInRow);
    out.writeLong(f.docId);
    out.writeUTF(f.domain);
    out.writeInt(f.piece);
    out.writeInt(f.copy);
    out.writeInt(f.fromToken);
    int[] t = f.tokens;
    out.writeInt(t.length);
    int or = 0;
    for (int x : t) {
      or |= x;
    }
    boolean narrow = (or & 0xFFFF0000) == 0;
    out.writeByte(narrow ? 2 : 4);
    byte[] bytes;
    if (narrow) {
      bytes = new byte[2 * t.length];
      for (int i = 0; i < t.length; i++) {
        bytes[2 * i] = (byte) t[i];
        bytes[2 * i + 1] = (byte) (t[i] >>> 8);
      }
    } else {
      bytes = new byte[4 * t.length];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(t);
    }
    out.write(bytes);
  }

  /** Reads a fragment {@link #write} wrote. */
  public static RowFragment read(DataInput in) throws IOException {
    long row = in.readLong();
    int offsetInRow = in.readInt();
    long docId = in.readLong();
    String domain = in.readUTF();
    int piece = in.readInt();
    int copy = in.readInt();
    int fromToken = in.readInt();
    int n = in.readInt();
    if (n < 0) {
      throw new InvalidObjectException("negative token count " + n);
    }
    int width = in.readByte();
    if (width != 2 && width != 4) {
      throw new InvalidObjectException("ids " + width + " bytes wide");
    }
    byte[] bytes = new byte[width * n];
    in.readFully(bytes);
    int[] tokens = new int[n];
    if (width == 2) {
      for (int i = 0; i < n; i++) {
        tokens[i] = (bytes[2 * i] & 0xFF) | (bytes[2 * i + 1] & 0xFF) << 8;
      }
    } else {
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(tokens);
    }
    return new RowFragment(row, offsetInRow, docId, domain, piece, copy, fromToken, tokens);
  }

  /** The serialized form of a {@link RowFragment}. */
  static final class Wire implements Externalizable {
    private static final long serialVersionUID = 1L;
    private RowFragment f;

    /** For deserialization. */
    public Wire() {}

    Wire(RowFragment f) {
      this.f = f;
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
      write(out, f);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
      f = read(in);
    }

    private Object readResolve() {
      return f;
    }
  }

  @Override
  public String toString() {
    return "RowFragment[row="
        + row
        + " at "
        + offsetInRow
        + " doc="
        + docId
        + " piece="
        + piece
        + " copy="
        + copy
        + " from="
        + fromToken
        + " length="
        + tokens.length
        + "]";
  }
}
