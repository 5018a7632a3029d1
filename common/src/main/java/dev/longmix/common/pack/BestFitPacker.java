package dev.longmix.common.pack;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Best-fit decreasing: items, longest first, each into the open row with the least room that still
 * holds it, a new row when none does (Ding et al. 2024, "Fewer Truncations Improve Language
 * Modeling"). No item is split; every item must fit in a row.
 *
 * <p>Deterministic: items are taken by length, longest first, ties by their key, then by index;
 * among rows with equal room the one that reached that room first is chosen. The same lengths and
 * keys give the same rows on any machine.
 */
public final class BestFitPacker {
  private BestFitPacker() {}

  /**
   * Where each item went.
   *
   * @param rows rows opened
   * @param row each item's row, in [0, rows)
   * @param offset each item's start in its row, in placement order (longest first)
   * @param fill each row's tokens
   */
  public record Packing(int rows, int[] row, int[] offset, int[] fill) {

    /** Tokens of padding: every row's room left, summed. */
    public long padTokens(int seqLen) {
      long pad = 0;
      for (int i = 0; i < rows; i++) {
        pad += seqLen - fill[i];
      }
      return pad;
    }
  }

  /**
   * Packs items of {@code lengths} (each in [1, seqLen]) into rows of {@code seqLen} tokens; {@code
   * keys} break ties between items of equal length.
   */
  public static Packing pack(int[] lengths, long[] keys, int seqLen) {
    int n = lengths.length;
    if (keys.length != n) {
      throw new IllegalArgumentException(n + " lengths but " + keys.length + " keys");
    }
    for (int i = 0; i < n; i++) {
      if (lengths[i] < 1 || lengths[i] > seqLen) {
        throw new IllegalArgumentException(
            "item " + i + " has " + lengths[i] + " tokens; items must hold 1 to " + seqLen);
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Integer.compare(lengths[b], lengths[a]);
          if (c == 0) {
            c = Long.compare(keys[a], keys[b]);
          }
          return c != 0 ? c : Integer.compare(a, b);
        });
    int[] row = new int[n];
    int[] offset = new int[n];
    int[] fill = new int[Math.max(16, n / 8)];
    int rows = 0;
    // Open rows by the room they have left; a full row leaves the map.
    TreeMap<Integer, ArrayDeque<Integer>> byRoom = new TreeMap<>();
    for (int i : order) {
      int len = lengths[i];
      Map.Entry<Integer, ArrayDeque<Integer>> e = byRoom.ceilingEntry(len);
      int r;
      if (e == null) {
        r = rows++;
        if (r == fill.length) {
          fill = Arrays.copyOf(fill, 2 * fill.length);
        }
      } else {
        r = e.getValue().pollFirst();
        if (e.getValue().isEmpty()) {
          byRoom.remove(e.getKey());
        }
      }
      row[i] = r;
      offset[i] = fill[r];
      fill[r] += len;
      int room = seqLen - fill[r];
      if (room > 0) {
        byRoom.computeIfAbsent(room, k -> new ArrayDeque<>()).addLast(r);
      }
    }
    return new Packing(rows, row, offset, Arrays.copyOf(fill, rows));
  }
}
