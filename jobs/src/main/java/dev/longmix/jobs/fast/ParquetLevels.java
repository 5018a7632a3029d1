package dev.longmix.jobs.fast;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;

/**
 * The repetition and definition levels of a V1 data page of a list of required ids: bit width 1 in
 * Parquet's RLE/bit-packing hybrid behind a 4-byte length. The ids pass needs only where rows begin
 * (where the repetition level is 0), and in tokenize's files no list is empty, so every definition
 * level is 1: {@link #rowStarts} and {@link #allOnes} answer both from the encoded runs without
 * expanding them (a row is one run of 1s, whatever its length). A page that does hold an empty list
 * is expanded level by level with parquet-mr's own decoder ({@link #levels}).
 */
public final class ParquetLevels {
  private ParquetLevels() {}

  /**
   * Where the levels equal 0, for n levels: the positions go to out in order, their count is
   * returned, and buf is left after the levels. For repetition levels these are the positions where
   * rows begin.
   */
  public static int rowStarts(ByteBuffer buf, int[] out, int n) {
    int len = buf.getInt();
    int end = buf.position() + len;
    int k = 0;
    int count = 0;
    while (buf.position() < end) {
      int h = header(buf);
      if ((h & 1) == 0) {
        int run = h >>> 1;
        int value = buf.get();
        int to = Math.min(n, k + run);
        if (value == 0) {
          for (int i = k; i < to; i++) {
            out[count++] = i;
          }
        }
        k = to;
      } else {
        int groups = h >>> 1;
        for (int g = 0; g < groups; g++) {
          int bits = buf.get() & 0xFF;
          for (int j = 0; j < 8 && k < n; j++, k++) {
            if (((bits >>> j) & 1) == 0) {
              out[count++] = k;
            }
          }
        }
      }
    }
    if (k < n) {
      throw new IllegalStateException("levels end after " + k + " of " + n + " values");
    }
    buf.position(end);
    return count;
  }

  /** Whether all n levels are 1; if so buf is left after them, otherwise somewhere inside. */
  public static boolean allOnes(ByteBuffer buf, int n) {
    int len = buf.getInt();
    int end = buf.position() + len;
    int k = 0;
    while (buf.position() < end && k < n) {
      int h = header(buf);
      if ((h & 1) == 0) {
        int run = h >>> 1;
        if (buf.get() != 1) {
          return false;
        }
        k = Math.min(n, k + run);
      } else {
        int groups = h >>> 1;
        for (int g = 0; g < groups; g++) {
          int bits = buf.get() & 0xFF;
          int take = Math.min(8, n - k);
          if (take > 0 && (bits & ((1 << take) - 1)) != (1 << take) - 1) {
            return false;
          }
          k += Math.max(0, take);
        }
      }
    }
    if (k < n) {
      throw new IllegalStateException("levels end after " + k + " of " + n + " values");
    }
    buf.position(end);
    return true;
  }

  /** Decodes n levels into out with parquet-mr's hybrid decoder, leaving buf after them. */
  public static void levels(ByteBuffer buf, byte[] out, int n) {
    int len = buf.getInt();
    int end = buf.position() + len;
    ByteBuffer data = buf.slice();
    data.limit(len);
    RunLengthBitPackingHybridDecoder d =
        new RunLengthBitPackingHybridDecoder(1, ByteBufferInputStream.wrap(data));
    try {
      for (int k = 0; k < n; k++) {
        out[k] = (byte) d.readInt();
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("levels end before " + n + " values", e);
    }
    buf.position(end);
  }

  /** A run's header: an unsigned LEB128 varint. */
  private static int header(ByteBuffer buf) {
    int h = 0;
    int shift = 0;
    int b;
    do {
      b = buf.get() & 0xFF;
      h |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    return h;
  }
}
