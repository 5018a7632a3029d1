package dev.longmix.common.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The {@code .bin}/{@code .idx} bytes against Megatron-LM's layout as docs/output-format.md states
 * it, spelled out byte by byte for small examples.
 */
class MegatronIndexTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void uint16ExampleByteForByte() throws IOException {
    ByteArrayOutputStream bin = new ByteArrayOutputStream();
    MegatronIndex m = new MegatronIndex(MegatronIndex.Dtype.UINT16, bin);
    int[] ids = {9, 1, 2, 3, 4, 5, 6, 9};
    m.add(ids, 1, 3, true); // document 0: sequences 0 and 1
    m.add(ids, 4, 2, false);
    m.add(ids, 6, 1, true); // document 1: sequence 2
    assertArrayEquals(hex("0100 0200 0300 0400 0500 0600"), bin.toByteArray());
    ByteArrayOutputStream idx = new ByteArrayOutputStream();
    m.writeIndex(idx);
    byte[] want =
        hex(
            "4d4d4944494458 0000" // MMIDIDX\0\0
                + "0100000000000000" // version 1
                + "08" // dtype code: uint16
                + "0300000000000000" // 3 sequences
                + "0300000000000000" // 3 document indices (2 documents + 1)
                + "03000000 02000000 01000000" // lengths
                + "0000000000000000 0600000000000000 0a00000000000000" // byte pointers
                + "0000000000000000 0200000000000000 0300000000000000"); // document indices
    assertArrayEquals(want, idx.toByteArray());
    assertEquals(want.length, m.indexBytes());
    assertEquals(3, m.sequences());
    assertEquals(2, m.documents());
    assertEquals(6, m.tokens());
    assertEquals(12, m.binBytes());
  }

  /**
   * With an EOD id every sequence ends with it: appended (and counted in the sequence's length and
   * the next pointer) unless the sequence's last id already is it; an EOD id inside a sequence is
   * data and stays.
   */
  @Test
  void everySequenceEndsWithTheEodIdOnce() throws IOException {
    ByteArrayOutputStream bin = new ByteArrayOutputStream();
    MegatronIndex m = new MegatronIndex(MegatronIndex.Dtype.UINT16, bin, OptionalInt.of(2));
    int[] ids = {5, 6, 7, 2, 2, 8};
    m.add(ids, 0, 2, true); // 5 6 → 5 6 2
    m.add(ids, 2, 2, false); // 7 2 already ends with it → 7 2
    m.add(ids, 3, 3, true); // 2 2 8 → 2 2 8 2
    assertArrayEquals(hex("0500 0600 0200 0700 0200 0200 0200 0800 0200"), bin.toByteArray());
    ByteArrayOutputStream idx = new ByteArrayOutputStream();
    m.writeIndex(idx);
    byte[] want =
        hex(
            "4d4d4944494458 0000"
                + "0100000000000000"
                + "08"
                + "0300000000000000" // 3 sequences
                + "0300000000000000" // 2 documents + 1
                + "03000000 02000000 04000000" // lengths, the EOD ids included
                + "0000000000000000 0600000000000000 0a00000000000000" // byte pointers
                + "0000000000000000 0200000000000000 0300000000000000");
    assertArrayEquals(want, idx.toByteArray());
    assertEquals(9, m.tokens());
    assertEquals(2, m.eodAppended());
    assertEquals(18, m.binBytes());
    assertEquals(want.length, m.indexBytes());

    ByteArrayOutputStream wide = new ByteArrayOutputStream();
    MegatronIndex w = new MegatronIndex(MegatronIndex.Dtype.INT32, wide, OptionalInt.of(128_001));
    w.add(new int[] {128_000, 9}, 0, 2, true);
    assertArrayEquals(hex("00f40100 09000000 01f40100"), wide.toByteArray());
    assertEquals(1, w.eodAppended());

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new MegatronIndex(
                    MegatronIndex.Dtype.UINT16,
                    new ByteArrayOutputStream(),
                    OptionalInt.of(70_000)));
    assertTrue(e.getMessage().contains("EOD id 70000 does not fit uint16"), e.getMessage());
  }

  @Test
  void int32PointersStepFourBytesPerId() throws IOException {
    ByteArrayOutputStream bin = new ByteArrayOutputStream();
    MegatronIndex m = new MegatronIndex(MegatronIndex.Dtype.INT32, bin);
    m.add(new int[] {70_000, 1}, 0, 2, false); // the first sequence begins document 0 regardless
    m.add(new int[] {128_255}, 0, 1, false);
    assertArrayEquals(hex("70110100 01000000 fff40100"), bin.toByteArray());
    ByteArrayOutputStream idx = new ByteArrayOutputStream();
    m.writeIndex(idx);
    ByteBuffer b = ByteBuffer.wrap(idx.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(4, b.get(17)); // int32
    assertEquals(2, b.getLong(18));
    assertEquals(2, b.getLong(26)); // one document: [0, 2]
    assertEquals(2, b.getInt(34));
    assertEquals(1, b.getInt(38));
    assertEquals(0, b.getLong(42));
    assertEquals(8, b.getLong(50));
    assertEquals(0, b.getLong(58));
    assertEquals(2, b.getLong(66));
    assertEquals(74, idx.size());
  }

  @Test
  void anEmptyFileHasOneDocumentIndex() throws IOException {
    MegatronIndex m = new MegatronIndex(MegatronIndex.Dtype.UINT16, new ByteArrayOutputStream());
    ByteArrayOutputStream idx = new ByteArrayOutputStream();
    m.writeIndex(idx);
    assertArrayEquals(
        hex(
            "4d4d49444944580000 0100000000000000 08 0000000000000000 0100000000000000"
                + "0000000000000000"), // no sequences, document indices [0]
        idx.toByteArray());
  }

  @Test
  void manySequencesOverflowTheWriteBufferIntact() throws IOException {
    MegatronIndex m = new MegatronIndex(MegatronIndex.Dtype.UINT16, new ByteArrayOutputStream());
    int n = 20_000; // 34 + 12n + 8(n/3 + 2) bytes: several 64 KB buffers
    for (int i = 0; i < n; i++) {
      m.add(new int[] {i % 7, 1, 2}, 0, 1 + i % 3, i % 3 == 0);
    }
    ByteArrayOutputStream idx = new ByteArrayOutputStream();
    m.writeIndex(idx);
    assertEquals(m.indexBytes(), idx.size());
    ByteBuffer b = ByteBuffer.wrap(idx.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    long pointer = 0;
    for (int i = 0; i < n; i++) {
      assertEquals(1 + i % 3, b.getInt(34 + 4 * i));
      assertEquals(pointer, b.getLong(34 + 4 * n + 8 * i));
      pointer += 2L * (1 + i % 3);
    }
    int docs = (n + 2) / 3;
    assertEquals(docs + 1, b.getLong(26));
    for (int d = 0; d < docs; d++) {
      assertEquals(3L * d, b.getLong(34 + 12 * n + 8 * d));
    }
    assertEquals(n, b.getLong(34 + 12 * n + 8 * docs));
  }

  @Test
  void idsTheTypeCannotHoldAndEmptySequencesAreRefused() {
    MegatronIndex m = new MegatronIndex(MegatronIndex.Dtype.UINT16, new ByteArrayOutputStream());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> m.add(new int[] {65_536}, 0, 1, true));
    assertTrue(e.getMessage().contains("id 65536 at 0 does not fit uint16"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> m.add(new int[] {1}, 0, 0, true));
    assertTrue(MegatronIndex.Dtype.UINT16.holds(65_535));
    assertTrue(!MegatronIndex.Dtype.INT32.holds(-1));
  }

  @Test
  void theDtypeFollowsMegatronsVocabularyRule() {
    assertEquals(MegatronIndex.Dtype.UINT16, MegatronIndex.Dtype.forVocabulary(32_000));
    assertEquals(MegatronIndex.Dtype.UINT16, MegatronIndex.Dtype.forVocabulary(65_499));
    assertEquals(MegatronIndex.Dtype.INT32, MegatronIndex.Dtype.forVocabulary(65_500));
    assertEquals(MegatronIndex.Dtype.INT32, MegatronIndex.Dtype.forVocabulary(128_256));
  }
}
