package dev.longmix.common.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Document ids are keys that later stages (selection, packing, manifests of earlier runs) join on,
 * so their values are pinned: any change to the hash must be a deliberate, visible decision.
 */
class DocumentIdTest {

  @Test
  void pinnedValues() {
    assertEquals(-505121404226670974L, DocumentId.of("chunk1/example_train_0.jsonl.zst", 1));
    assertEquals(-18929156910639861L, DocumentId.of("chunk1/example_train_0.jsonl.zst", 2));
    assertEquals(3454496601832013854L, DocumentId.of("chunk1/example_train_1.jsonl.zst", 1));
    assertEquals(-8560559465370315250L, DocumentId.of("", 0));
    assertEquals(-134215276775560958L, DocumentId.of("données/ü.jsonl", 123456789012L));
  }

  @Test
  void sameInputSameIdAndNoCollisionsOnACorpusShapedGrid() {
    assertEquals(DocumentId.of("a/b.jsonl", 7), DocumentId.of("a/b.jsonl", 7));
    assertNotEquals(DocumentId.of("a/b.jsonl", 7), DocumentId.of("a/b.jsonl", 8));
    assertNotEquals(DocumentId.of("a/b.jsonl", 7), DocumentId.of("a/c.jsonl", 7));
    Set<Long> seen = new HashSet<>();
    for (int f = 0; f < 100; f++) {
      for (int line = 1; line <= 10_000; line++) {
        seen.add(DocumentId.of("chunk" + f / 10 + "/example_train_" + f + ".jsonl.zst", line));
      }
    }
    assertEquals(1_000_000, seen.size());
  }
}
