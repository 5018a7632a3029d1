package dev.longmix.common.export;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The packed row contract, by example: each way to break it, and the message naming the row. */
class SpanTilingTest {
  /** Row 42 of seq_len 10 with spans (start, length, from_token, continuation). */
  private static void check(int ids, int n, int pad, int[][] spans) {
    int[] starts = new int[spans.length];
    int[] lengths = new int[spans.length];
    int[] froms = new int[spans.length];
    boolean[] cont = new boolean[spans.length];
    for (int i = 0; i < spans.length; i++) {
      starts[i] = spans[i][0];
      lengths[i] = spans[i][1];
      froms[i] = spans[i][2];
      cont[i] = spans[i][3] == 1;
    }
    SpanTiling.check(42, 10, ids, n, pad, starts, lengths, froms, cont);
  }

  private static String broken(int ids, int n, int pad, int[][] spans) {
    return assertThrows(SpanTiling.BrokenRowException.class, () -> check(ids, n, pad, spans))
        .getMessage();
  }

  @Test
  void rowsThatKeepTheContractPass() {
    assertDoesNotThrow(() -> check(10, 10, 0, new int[][] {{0, 4, 6, 1}, {4, 6, 0, 0}}));
    assertDoesNotThrow(() -> check(10, 7, 3, new int[][] {{0, 7, 0, 0}}));
  }

  @Test
  void eachBreachIsNamed() {
    assertEquals(
        "packed row 42: its spans do not tile it: span 1 covers [5, 10), expected a positive"
            + " length from 4 within n_tokens 10",
        broken(10, 10, 0, new int[][] {{0, 4, 0, 0}, {5, 5, 0, 0}}));
    assertEquals(
        "packed row 42: its spans do not tile it: they cover [0, 9), n_tokens is 10",
        broken(10, 10, 0, new int[][] {{0, 4, 0, 0}, {4, 5, 0, 0}}));
    assertEquals(
        "packed row 42: its spans do not tile it: span 0 covers [0, 0), expected a positive"
            + " length from 0 within n_tokens 10",
        broken(10, 10, 0, new int[][] {{0, 0, 0, 0}, {0, 10, 0, 0}}));
    assertEquals(
        "packed row 42: its spans do not tile it: span 0 covers [0, 8), expected a positive"
            + " length from 0 within n_tokens 7",
        broken(10, 7, 3, new int[][] {{0, 8, 0, 0}}));
    assertEquals(
        "packed row 42: its spans do not tile it: they cover [0, 0), n_tokens is 10",
        broken(10, 10, 0, new int[][] {}));
    assertEquals(
        "packed row 42: 9 ids, but the output's seq_len is 10",
        broken(9, 9, 0, new int[][] {{0, 9, 0, 0}}));
    assertEquals(
        "packed row 42: n_tokens 10 + pad_tokens 1 must be seq_len 10, with n_tokens > 0",
        broken(10, 10, 1, new int[][] {{0, 10, 0, 0}}));
    assertEquals(
        "packed row 42: span 0 has from_token 3 and continuation false (continuation must be"
            + " from_token > 0)",
        broken(10, 10, 0, new int[][] {{0, 10, 3, 0}}));
  }
}
