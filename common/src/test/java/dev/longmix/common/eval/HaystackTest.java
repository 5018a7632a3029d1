package dev.longmix.common.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HaystackTest {
  static final int[] HEAD = {1};
  static final int[] NEEDLE = {900, 901, 902};

  /** Haystack ids 10, 11, ...; a sentence may start before every index listed. */
  static Haystack haystack(int n, int... boundaries) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 10 + i;
    }
    boolean[] b = new boolean[n + 1];
    b[0] = true;
    for (int x : boundaries) {
      b[x] = true;
    }
    return Haystack.ofIds(ids, b);
  }

  @Test
  void theNeedleGoesToTheLastSentenceStartAtOrBeforeTheDepth() {
    Haystack h = haystack(100, 20, 40, 50, 96);
    // body = 30 - 1 - 3 = 26 haystack tokens; depth 50% asks for 13: the start before is 0.
    assertPrompt(h.place(HEAD, NEEDLE, 30, 50), 30, 1, 14);
    // body = 96: depth 50 asks for 48, the last start at or before is 40.
    assertPrompt(h.place(HEAD, NEEDLE, 100, 50), 100, 41, 49);
    // exactly on a boundary: 50% of 100 = 50.
    assertPrompt(h.place(HEAD, NEEDLE, 104, 50), 104, 51, 51);
    // depth 0: right after the head.
    assertPrompt(h.place(HEAD, NEEDLE, 104, 0), 104, 1, 1);
    // depth 100: after the whole body when a sentence ends there (96), else the last start.
    assertPrompt(h.place(HEAD, NEEDLE, 100, 100), 100, 97, 97);
    assertPrompt(h.place(HEAD, NEEDLE, 99, 100), 99, 51, 96);
    // floor(57 * 11 / 100) = 6.
    assertPrompt(h.place(HEAD, NEEDLE, 61, 11), 61, 1, 7);
  }

  private static void assertPrompt(Haystack.Prompt p, int length, int needleAt, int requestedAt) {
    assertEquals(length, p.inputIds().length);
    assertEquals(length, p.contextLength());
    assertEquals(needleAt, p.needlePosition(), p::toString);
    assertEquals(requestedAt, p.targetPosition(), p::toString);
  }

  @Test
  void everyPromptIsHeadHaystackPrefixAndNeedleExactly() {
    Random rnd = new Random(7);
    int n = 5000;
    int[] bs = rnd.ints(300, 1, n).distinct().toArray();
    Haystack h = haystack(n, bs);
    int[] ids = h.ids();
    for (int length : List.of(5, 6, 40, 999, 1024, 4096, 5004)) {
      for (double depth : List.of(0.0, 11.0, 33.3, 50.0, 89.0, 99.9, 100.0)) {
        Haystack.Prompt p = h.place(HEAD, NEEDLE, length, depth);
        int[] got = p.inputIds();
        int body = length - HEAD.length - NEEDLE.length;
        int pos = p.needlePosition();
        int b = pos - HEAD.length;
        int target = depth == 100 ? body : (int) Math.floor(body * depth / 100);
        assertEquals(length, got.length);
        assertEquals(HEAD.length + target, p.targetPosition());
        assertTrue(b >= 0 && b <= target);
        assertTrue(h.boundary(b));
        for (int x = b + 1; x <= target; x++) {
          assertFalse(h.boundary(x), "a later sentence start at " + x + " was passed over");
        }
        assertArrayEquals(HEAD, Arrays.copyOfRange(got, 0, HEAD.length));
        assertArrayEquals(NEEDLE, Arrays.copyOfRange(got, pos, pos + NEEDLE.length));
        int[] rest = new int[body];
        System.arraycopy(got, HEAD.length, rest, 0, b);
        System.arraycopy(got, pos + NEEDLE.length, rest, b, body - b);
        assertArrayEquals(Arrays.copyOf(ids, body), rest, "the haystack's first body tokens");
      }
    }
  }

  @Test
  void aContextTooShortOrLongerThanTheHaystackIsRefused() {
    Haystack h = haystack(10);
    assertThrows(IllegalArgumentException.class, () -> h.place(HEAD, NEEDLE, 3, 0));
    assertThrows(IllegalArgumentException.class, () -> h.place(HEAD, NEEDLE, 15, 0));
    assertEquals(14, h.place(HEAD, NEEDLE, 14, 0).inputIds().length);
    assertThrows(IllegalArgumentException.class, () -> h.place(HEAD, NEEDLE, 10, 101));
  }

  @Test
  void textsAreJoinedByABlankLineAndTokenizedOnce() {
    List<String> seen = new java.util.ArrayList<>();
    Haystack h =
        Haystack.of(
            List.of("One. Two", "Three."),
            t -> {
              seen.add(t);
              return t.chars().toArray();
            },
            id -> String.valueOf((char) id));
    assertEquals(List.of("One. Two\n\nThree."), seen);
    assertEquals("One. Two\n\nThree.".length(), h.length());
    assertTrue(h.boundary(0));
    assertTrue(h.boundary(4), "after 'One.' and before ' Two'");
    assertTrue(h.boundary(5), "after the space too");
    assertFalse(h.boundary(6), "not after 'T'");
    assertTrue(h.boundary(h.length()), "the text ends a sentence");
  }
}
