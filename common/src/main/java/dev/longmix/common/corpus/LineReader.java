package dev.longmix.common.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding it, so invalid UTF-8 is seen per line.
 *
 * <p>Handles CRLF endings and a UTF-8 byte-order mark at the start of the stream. A line is exposed
 * as {@link #buffer()}[{@link #start()}, {@link #start()} + {@link #length()}) until the next call
 * to {@link #next()}; the buffer grows for lines longer than it (a 50 MB line is one line).
 */
public final class LineReader {
  private static final int CHUNK = 1 << 20;

  private final InputStream in;
  private byte[] buf = new byte[CHUNK];
  private int pos;
  private int limit;
  private boolean eof;
  private boolean first = true;
  private long lineNumber;
  private int start;
  private int length;

  public LineReader(InputStream in) {
    this.in = in;
  }

  /** Advances to the next line; false at the end of the stream. */
  public boolean next() throws IOException {
    int scan = pos;
    while (true) {
      for (int i = scan; i < limit; i++) {
        if (buf[i] == '\n') {
          emit(pos, i);
          pos = i + 1;
          return true;
        }
      }
      scan = limit;
      if (eof) {
        if (pos < limit) {
          emit(pos, limit);
          pos = limit;
          return true;
        }
        return false;
      }
      if (pos > 0 && limit - pos < buf.length / 2) {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        scan -= pos;
        pos = 0;
      } else if (limit == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        eof = true;
      } else {
        limit += n;
      }
    }
  }

  private void emit(int from, int to) {
    if (to > from && buf[to - 1] == '\r') {
      to--;
    }
    if (first) {
      first = false;
      if (to - from >= 3
          && buf[from] == (byte) 0xEF
          && buf[from + 1] == (byte) 0xBB
          && buf[from + 2] == (byte) 0xBF) {
        from += 3;
      }
    }
    lineNumber++;
    start = from;
    length = to - from;
  }

  public byte[] buffer() {
    return buf;
  }

  public int start() {
    return start;
  }

  public int length() {
    return length;
  }

  /** One-based number of the current line in the stream. */
  public long lineNumber() {
    return lineNumber;
  }
}
