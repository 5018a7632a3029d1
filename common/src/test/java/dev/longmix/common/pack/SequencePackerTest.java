package dev.longmix.common.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SequencePackerTest {
  private static final long SEED = 81920L;

  private static int[] ids(int from, int n) {
    return IntStream.range(from, from + n).toArray();
  }

  @Test
  void cutsEveryRowRegardlessOfBoundaries() {
    List<PackItem> items =
        List.of(
            PackItem.of(1, "a", 0, 0, ids(100, 3)),
            PackItem.of(2, "b", 0, 0, ids(200, 4)),
            PackItem.of(3, "a", 1, 0, ids(300, 2)));
    List<PackedRow> rows = SequencePacker.packAll(new PackingConfig(5, TailPolicy.DROP, 0), items);
    assertEquals(1, rows.size());
    assertArrayEquals(new int[] {100, 101, 102, 200, 201}, rows.get(0).tokens());
    assertEquals(
        List.of(new Span(0, 3, "a", 1, 0, 0, 0), new Span(3, 2, "b", 2, 0, 0, 0)),
        rows.get(0).spans());

    List<PackedRow> padded = SequencePacker.packAll(new PackingConfig(5, TailPolicy.PAD, 0), items);
    assertEquals(2, padded.size());
    PackedRow last = padded.get(1);
    assertArrayEquals(new int[] {202, 203, 300, 301, 0}, last.tokens());
    assertEquals(1, last.padTokens());
    Span continued = last.spans().get(0);
    assertTrue(continued.continuation(), "doc 2 continues from row 0, without BOS");
    assertFalse(continued.startsDocument());
    Span piece = last.spans().get(1);
    assertFalse(piece.continuation(), "a cut piece is a new item");
    assertFalse(piece.startsDocument(), "but piece 1 has no BOS either");
  }

  @Test
  void statsAccountForTheTail() {
    List<PackItem> items = List.of(PackItem.of(1, "a", 0, 0, ids(0, 12)));
    PackingConfig drop = new PackingConfig(5, TailPolicy.DROP, 0);
    SequencePacker packer = new SequencePacker(drop);
    List<PackedRow> rows = new ArrayList<>();
    items.forEach(i -> packer.add(i, rows::add));
    assertEquals(new PackStats(1, 12, 2, 2, 0), packer.finish(rows::add));
    assertEquals(2, rows.size());

    PackingConfig pad = new PackingConfig(5, TailPolicy.PAD, 7);
    SequencePacker padder = new SequencePacker(pad);
    rows.clear();
    items.forEach(i -> padder.add(i, rows::add));
    assertEquals(new PackStats(1, 12, 3, 0, 3), padder.finish(rows::add));
    assertArrayEquals(new int[] {10, 11, 7, 7, 7}, rows.get(2).tokens());
  }

  @Test
  void noTokenLostOrInventedAndSpansTileEveryRow() {
    Random random = new Random(SEED);
    for (int trial = 0; trial < 50; trial++) {
      int seqLen = 1 + random.nextInt(64);
      PackingConfig config =
          new PackingConfig(seqLen, random.nextBoolean() ? TailPolicy.DROP : TailPolicy.PAD, 0);
      List<PackItem> items = randomItems(random, 1 + random.nextInt(30));
      List<PackedRow> rows = SequencePacker.packAll(config, items);

      int[] input =
          items.stream()
              .flatMapToInt(i -> IntStream.of(i.tokens()).skip(i.offset()).limit(i.length()))
              .toArray();
      long total = input.length;
      assertEquals(config.rows(total), rows.size());
      List<Integer> output = new ArrayList<>();
      for (int r = 0; r < rows.size(); r++) {
        PackedRow row = rows.get(r);
        assertEquals(r, row.index());
        assertEquals(seqLen, row.tokens().length, "every row exactly seqLen");
        int at = 0;
        for (Span s : row.spans()) {
          assertEquals(at, s.start(), "spans tile the row from 0");
          assertTrue(s.length() > 0);
          at = s.end();
        }
        assertEquals(seqLen - row.padTokens(), at);
        for (int i = 0; i < at; i++) {
          output.add(row.tokens()[i]);
        }
      }
      long kept = total - config.droppedTokens(total);
      assertEquals(kept, output.size(), "seed " + SEED + " trial " + trial);
      for (int i = 0; i < output.size(); i++) {
        assertEquals(input[i], output.get(i), "token " + i);
      }
    }
  }

  @Test
  void distributedFormEqualsStreamingPacker() {
    Random random = new Random(SEED + 1);
    for (int trial = 0; trial < 50; trial++) {
      int seqLen = 1 + random.nextInt(50);
      PackingConfig config =
          new PackingConfig(seqLen, trial % 2 == 0 ? TailPolicy.DROP : TailPolicy.PAD, 3);
      List<PackItem> items = randomItems(random, random.nextInt(25));
      List<PackedRow> streamed = SequencePacker.packAll(config, items);

      // Prefix sums give each item's global start; items split independently.
      List<RowFragment> fragments = new ArrayList<>();
      long start = 0;
      for (PackItem item : items) {
        fragments.addAll(RowFragment.split(item, start, seqLen));
        start += item.length();
      }
      Collections.shuffle(fragments, random); // a shuffle stands in for Spark's groupBy
      Map<Long, List<RowFragment>> byRow = new TreeMap<>();
      for (RowFragment f : fragments) {
        byRow.computeIfAbsent(f.row(), r -> new ArrayList<>()).add(f);
      }
      List<PackedRow> assembled = new ArrayList<>();
      for (Map.Entry<Long, List<RowFragment>> e : byRow.entrySet()) {
        if (e.getKey() < config.rows(start)) {
          assembled.add(RowAssembler.assemble(e.getKey(), e.getValue(), config));
        }
      }
      assertEquals(streamed, assembled, "seed " + (SEED + 1) + " trial " + trial);
    }
  }

  @Test
  void assemblerRejectsGapsAndDroppedTails() {
    PackingConfig drop = new PackingConfig(4, TailPolicy.DROP, 0);
    RowFragment a = new RowFragment(0, 0, 1, "a", 0, 0, 0, new int[] {1, 2});
    RowFragment gap = new RowFragment(0, 3, 2, "a", 0, 0, 0, new int[] {3});
    assertThrows(
        IllegalStateException.class, () -> RowAssembler.assemble(0, List.of(a, gap), drop));
    assertThrows(IllegalStateException.class, () -> RowAssembler.assemble(0, List.of(a), drop));
    assertThrows(IllegalArgumentException.class, () -> RowAssembler.assemble(1, List.of(a), drop));
  }

  @Test
  void splitPlacesFragmentsByGlobalOffset() {
    PackItem item = new PackItem(9, "b", 2, 1, ids(0, 20), 5, 12); // tokens 5..16
    List<RowFragment> fs = RowFragment.split(item, 18, 8); // rows 2 (2..8), 3 (0..8)
    assertEquals(2, fs.size());
    assertEquals(new RowFragment(2, 2, 9, "b", 2, 1, 0, ids(5, 6)), fs.get(0));
    assertEquals(new RowFragment(3, 0, 9, "b", 2, 1, 6, ids(11, 6)), fs.get(1));
    assertTrue(fs.get(1).continuation());
  }

  private static List<PackItem> randomItems(Random random, int n) {
    List<PackItem> items = new ArrayList<>();
    int next = 1;
    for (int i = 0; i < n; i++) {
      int len = random.nextInt(120);
      int offset = random.nextInt(5);
      int[] backing = ids(next, offset + len + random.nextInt(5));
      next += backing.length;
      items.add(
          new PackItem(
              i, "d" + (i % 3), random.nextInt(3), random.nextInt(2), backing, offset, len));
    }
    return items;
  }
}
