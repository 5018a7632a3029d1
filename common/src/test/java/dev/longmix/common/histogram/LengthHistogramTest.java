package dev.longmix.common.histogram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthHistogramTest {
  private static final long SEED = 20240214L;
  private static final String[] DOMAINS = {"RedPajamaBook", "RedPajamaC4", "RedPajamaGithub"};

  @Test
  void countsDocumentsTokensAndExactLongTotals() {
    // Threshold 5000 is not a bin edge: long totals must still be exact.
    LengthHistogram h = new LengthHistogram(LengthBins.fig2(), 5000);
    h.add("a", 4096).add("a", 5000).add("a", 5001).add("b", 200_000);
    assertEquals(3, h.documents("a"));
    assertEquals(4096 + 5000 + 5001, h.tokens("a"));
    assertEquals(1, h.longDocuments("a"));
    assertEquals(5001, h.longTokens("a"));
    assertEquals(5001.0 / (4096 + 5000 + 5001), h.longShare("a"), 1e-12);
    assertEquals(1, h.documents("a", 2));
    assertEquals(10_001, h.tokens("a", 3));
    assertEquals(200_000, h.tokens("b", 8));
    assertEquals(200_000.0 / h.tokens(), h.tokenShare("b"), 1e-12);
    assertEquals((200_000.0 + 5001) / h.tokens(), h.longShare(), 1e-12);
    assertEquals(List.of("a", "b"), h.domains());
  }

  @Test
  void mergeIsIndependentOfOrderAndGrouping() {
    Random random = new Random(SEED);
    List<LengthHistogram> shards = new ArrayList<>();
    LengthHistogram whole = LengthHistogram.fig2();
    for (int s = 0; s < 12; s++) {
      LengthHistogram shard = LengthHistogram.fig2();
      for (int i = 0; i < 200; i++) {
        String domain = DOMAINS[random.nextInt(DOMAINS.length)];
        long n = (long) Math.exp(random.nextDouble() * 14);
        shard.add(domain, n);
        whole.add(domain, n);
      }
      shards.add(shard);
    }
    LengthHistogram forward = LengthHistogram.fig2();
    shards.forEach(forward::merge);
    List<LengthHistogram> shuffled = new ArrayList<>(shards);
    Collections.shuffle(shuffled, random);
    // A tree of merges, as Spark's treeAggregate would do it.
    LengthHistogram left = LengthHistogram.fig2();
    LengthHistogram right = LengthHistogram.fig2();
    for (int i = 0; i < shuffled.size(); i++) {
      (i % 2 == 0 ? left : right).merge(shuffled.get(i).copy());
    }
    LengthHistogram tree = right.merge(left);
    assertEquals(whole, forward, "seed " + SEED);
    assertEquals(whole, tree, "seed " + SEED);
  }

  @Test
  void mergeRejectsDifferentThresholds() {
    LengthHistogram a = new LengthHistogram(LengthBins.fig2(), 4096);
    LengthHistogram b = new LengthHistogram(LengthBins.fig2(), 8192);
    assertThrows(IllegalArgumentException.class, () -> a.merge(b));
  }

  @Test
  void roundTripsThroughJson() throws Exception {
    LengthHistogram h = new LengthHistogram(LengthBins.logSpaced(4, 24), 4096);
    h.add("x", 3).add("x", 70_000).add("y", 4097);
    ObjectMapper mapper = new ObjectMapper();
    String json = mapper.writeValueAsString(h.snapshot());
    LengthHistogram back =
        LengthHistogram.fromSnapshot(mapper.readValue(json, LengthHistogram.Snapshot.class));
    assertEquals(h, back);
    assertEquals(70_000 + 4097, back.longTokens());
  }

  @Test
  void roundTripsThroughJavaSerialization() throws Exception {
    LengthHistogram h = LengthHistogram.fig2().add("x", 10).add("y", 1 << 20);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(h);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      Object back = in.readObject();
      assertNotSame(h, back);
      assertEquals(h, back);
    }
  }

  @org.junit.jupiter.api.Test
  void minusTakesAPartOutAndRefusesMoreThanThereIs() {
    LengthHistogram part = LengthHistogram.fig2().add("A", 10).add("B", 5000).add("B", 200_000);
    LengthHistogram rest = LengthHistogram.fig2().add("A", 300).add("A", 9000).add("C", 1);
    LengthHistogram all = rest.copy().merge(part);
    org.junit.jupiter.api.Assertions.assertEquals(rest, all.minus(part));
    org.junit.jupiter.api.Assertions.assertEquals(
        java.util.List.of("A", "C"), all.minus(part).domains(), "B held nothing else");
    org.junit.jupiter.api.Assertions.assertEquals(
        rest.longTokens("A"), all.minus(part).longTokens("A"));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> rest.minus(part));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> all.minus(new LengthHistogram(LengthBins.fig2(), 100).add("A", 10)));
  }
}
