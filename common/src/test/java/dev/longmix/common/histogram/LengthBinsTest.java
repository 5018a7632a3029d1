package dev.longmix.common.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LengthBinsTest {

  @Test
  void fig2BinsHaveInclusiveUpperEdges() {
    LengthBins bins = LengthBins.fig2();
    assertEquals(9, bins.count());
    long[][] cases = {
      {0, 0},
      {1, 0},
      {1024, 0},
      {1025, 1},
      {2048, 1},
      {4096, 2},
      {4097, 3},
      {8192, 3},
      {131_072, 7},
      {131_073, 8},
      {5_000_000, 8}
    };
    for (long[] c : cases) {
      assertEquals(c[1], bins.binOf(c[0]), "bin of " + c[0]);
    }
  }

  @Test
  void fig2LabelsMatchThePaper() {
    assertEquals(
        List.of(
            "0-1K", "1K-2K", "2K-4K", "4K-8K", "8K-16K", "16K-32K", "32K-64K", "64K-128K", ">128K"),
        LengthBins.fig2().labels());
  }

  @Test
  void aDocumentAtTheLongThresholdIsInTheLastShortBin() {
    // "Long" is more than 4,096 tokens, so the 2K-4K bin must be entirely short.
    LengthBins bins = LengthBins.fig2();
    assertEquals("2K-4K", bins.label(bins.binOf(4096)));
    assertEquals("4K-8K", bins.label(bins.binOf(4097)));
  }

  @Test
  void logSpacedBinsAreStrictlyIncreasingAndReach2To24() {
    LengthBins bins = LengthBins.logSpaced(4, 24);
    long[] edges = bins.edges();
    for (int i = 1; i < edges.length; i++) {
      assertTrue(edges[i] > edges[i - 1]);
    }
    assertEquals(1L << 24, edges[edges.length - 1]);
    assertEquals(edges.length, bins.binOf((1L << 24) + 1), "overflow bin");
    assertEquals(">16384K", bins.label(edges.length));
    // Four bins per octave once the edges are large enough to be distinct.
    assertEquals(4, bins.binOf(1L << 21) - bins.binOf(1L << 20));
  }

  @Test
  void rejectsBadEdgesAndLengths() {
    assertThrows(IllegalArgumentException.class, () -> LengthBins.ofEdges(new long[] {2, 2}));
    assertThrows(IllegalArgumentException.class, () -> LengthBins.ofEdges(new long[] {}));
    assertThrows(IllegalArgumentException.class, () -> LengthBins.fig2().binOf(-1));
  }
}
