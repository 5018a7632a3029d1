package dev.longmix.common.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which spans begin a document of the export, by example. */
class DocumentRunsTest {
  /** A span: item (doc, piece, copy), its first token in the item and its length. */
  record S(long doc, int piece, int copy, int from, int length) {}

  private static List<Boolean> begins(S... spans) {
    DocumentRuns runs = new DocumentRuns();
    List<Boolean> out = new ArrayList<>();
    for (S s : spans) {
      out.add(runs.begins(s.doc, s.piece, s.copy, s.from, s.length));
    }
    return out;
  }

  @Test
  void concatRowsContinueTheItemThatEndedTheRowBefore() {
    // Rows of 10: doc 7 (12 tokens) crosses from row 0 into row 1, then doc 8.
    assertEquals(
        List.of(true, true, false, true),
        begins(
            new S(5, 0, 0, 0, 4),
            new S(7, 0, 0, 0, 6),
            new S(7, 0, 0, 6, 6),
            new S(8, 0, 0, 0, 4)));
  }

  @Test
  void aFilesFirstSpanBeginsADocumentEvenWhenItContinuesAnItem() {
    assertEquals(List.of(true, false), begins(new S(7, 0, 0, 6, 6), new S(7, 0, 0, 12, 3)));
  }

  @Test
  void otherItemsPiecesCopiesAndGapsBeginDocuments() {
    assertEquals(
        List.of(true, true, true, true, true),
        begins(
            new S(7, 0, 0, 0, 6),
            new S(7, 1, 0, 0, 6), // the next piece of a cut document: its own item
            new S(7, 1, 1, 6, 6), // another copy of that piece
            new S(7, 1, 1, 20, 6), // the same copy, but not where the span before stopped
            new S(9, 1, 1, 26, 6))); // another document
  }

  @Test
  void bestFitPartsAreDocumentsOnlyWhenAdjacent() {
    // An item of 25 tokens at seq_len 10: parts from 0, 10 and a remainder from 20.
    assertEquals(
        List.of(true, true, false, true, true),
        begins(
            new S(3, 0, 0, 10, 10), // part 2 first: not where anything stopped
            new S(3, 0, 0, 0, 10),
            new S(3, 0, 0, 10, 10), // part 2 right after part 1
            new S(4, 0, 0, 0, 2),
            new S(3, 0, 0, 20, 5))); // the remainder, after another item
  }
}
