package dev.longmix.common.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Line splitting on raw bytes: line numbers are provenance, so every line counts, even empty. */
class LineReaderTest {

  private static List<String> lines(InputStream in) throws IOException {
    LineReader r = new LineReader(in);
    List<String> out = new ArrayList<>();
    while (r.next()) {
      assertEquals(out.size() + 1, r.lineNumber(), "line numbers are one-based and dense");
      out.add(new String(r.buffer(), r.start(), r.length(), StandardCharsets.ISO_8859_1));
    }
    assertFalse(r.next(), "stays at the end");
    return out;
  }

  private static List<String> lines(String s) throws IOException {
    return lines(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
  }

  private static final String BOM = "\u00EF\u00BB\u00BF"; // EF BB BF as Latin-1 chars

  @Test
  void lfAndCrlf() throws IOException {
    assertEquals(List.of("a", "b", "c"), lines("a\nb\r\nc\n"));
  }

  @Test
  void lastLineWithoutNewline() throws IOException {
    assertEquals(List.of("a", "b"), lines("a\nb"));
    assertEquals(List.of("a", "b"), lines("a\r\nb\r\n"));
    assertEquals(List.of("only"), lines("only"));
  }

  @Test
  void emptyLinesAreLinesButNoTrailingPhantom() throws IOException {
    assertEquals(List.of("a", "", "", "b", ""), lines("a\n\n\r\nb\n\n"));
    assertEquals(List.of(), lines(""));
    assertEquals(List.of(""), lines("\n"));
  }

  @Test
  void loneCarriageReturnInsideALineIsKept() throws IOException {
    assertEquals(List.of("a\rb", "c\r"), lines("a\rb\nc\r\r\n"));
  }

  @Test
  void byteOrderMarkOnlyAtTheStart() throws IOException {
    assertEquals(List.of("a", BOM + "b"), lines(BOM + "a\n" + BOM + "b\n"));
    assertEquals(List.of("", "x"), lines(BOM + "\nx"));
    assertEquals(List.of(""), lines(BOM));
    // A partial BOM is not a BOM.
    assertEquals(List.of("\u00EF\u00BBa"), lines("\u00EF\u00BBa"));
  }

  @Test
  void aFiftyMegabyteLineIsOneLine() throws IOException {
    int n = 50 * 1024 * 1024;
    byte[] data = new byte[n + 6];
    data[0] = 'a';
    data[1] = '\n';
    for (int i = 2; i < n + 2; i++) {
      data[i] = (byte) ('a' + i % 26);
    }
    data[n + 2] = '\r';
    data[n + 3] = '\n';
    data[n + 4] = 'z';
    data[n + 5] = '\n';
    LineReader r = new LineReader(new ByteArrayInputStream(data));
    assertTrue(r.next());
    assertEquals(1, r.length());
    assertTrue(r.next());
    assertEquals(n, r.length());
    assertEquals(2, r.lineNumber());
    assertEquals((byte) ('a' + 2 % 26), r.buffer()[r.start()]);
    assertEquals((byte) ('a' + (n + 1) % 26), r.buffer()[r.start() + n - 1]);
    assertTrue(r.next());
    assertEquals("z", new String(r.buffer(), r.start(), r.length(), StandardCharsets.US_ASCII));
    assertFalse(r.next());
  }

  /** Reads return few bytes at a time, so lines straddle every refill and compaction boundary. */
  @Test
  void randomLinesThroughShortReadsMatchAPlainSplit() throws IOException {
    Random rnd = new Random(42);
    StringBuilder sb = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      int len = rnd.nextInt(10) == 0 ? rnd.nextInt(3_000_000) : rnd.nextInt(200);
      StringBuilder l = new StringBuilder(len);
      for (int j = 0; j < len; j++) {
        l.append((char) ('a' + rnd.nextInt(26)));
      }
      expected.add(l.toString());
      sb.append(l).append(rnd.nextBoolean() ? "\n" : "\r\n");
    }
    byte[] data = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    InputStream trickle =
        new FilterInputStream(new ByteArrayInputStream(data)) {
          final Random r = new Random(7);

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1 + r.nextInt(100_000)));
          }
        };
    assertEquals(expected, lines(trickle));
  }
}
