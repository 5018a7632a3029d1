package dev.longmix.jobs.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.pack.RowFragment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fragments cross pack's shuffle in their wire form and come back equal. */
class FragmentWireTest {
  @Test
  void roundTripsThroughTheWireForm() throws Exception {
    int[] big = new int[100_003];
    for (int i = 0; i < big.length; i++) {
      big[i] = i % 3 == 0 ? -i : i * 7919;
    }
    big[0] = Integer.MIN_VALUE;
    big[1] = Integer.MAX_VALUE;
    int[] narrow = new int[50_000];
    for (int i = 0; i < narrow.length; i++) {
      narrow[i] = (i * 7919) & 0xFFFF;
    }
    narrow[7] = 65_535;
    int[] justWide = narrow.clone();
    justWide[49_999] = 65_536;
    List<RowFragment> in =
        List.of(
            new RowFragment(0, 0, -5L, "RedPajamaBook", 0, 0, 0, new int[] {1, 2, 3}),
            new RowFragment(1, 3, 8L, "arxiv", 0, 0, 0, narrow),
            new RowFragment(2, 3, 8L, "arxiv", 0, 0, 0, justWide),
            new RowFragment(12, 81_919, Long.MAX_VALUE, "dömäin/ünicode", 3, 2, 40_000, big),
            new RowFragment(7, 5, 9L, "", 1, 1, 1, new int[0]));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      for (RowFragment f : in) {
        FragmentSerializer.writeFragment(out, f);
      }
    }
    List<RowFragment> back = new ArrayList<>();
    try (DataInputStream is = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      for (int i = 0; i < in.size(); i++) {
        back.add(FragmentSerializer.readFragment(is));
      }
      assertEquals(-1, is.read(), "nothing left after the last fragment");
    }
    assertEquals(in, back);
  }

  private static int size(RowFragment f) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      FragmentSerializer.writeFragment(out, f);
    }
    return bytes.size();
  }

  @Test
  void idsBelow65536CrossInTwoBytes() throws Exception {
    int[] ids = new int[10_000];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 65_535 - i;
    }
    int narrow = size(new RowFragment(1, 0, 2L, "c4", 0, 0, 0, ids));
    assertTrue(narrow < 2 * ids.length + 100, narrow + " bytes for 10,000 ids below 65,536");
    ids[5] = 65_536;
    int wide = size(new RowFragment(1, 0, 2L, "c4", 0, 0, 0, ids));
    assertTrue(wide >= 4 * ids.length, wide + " bytes once one id needs more than 16 bits");
  }
}
