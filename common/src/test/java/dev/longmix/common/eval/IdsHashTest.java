package dev.longmix.common.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsHashTest {
  @Test
  void equalIdsHashEquallyAndAnyChangeMovesTheHash() {
    int[] a = {1, 415, 2009, 7, 7, 31999};
    assertEquals(IdsHash.of(a), IdsHash.of(a.clone()));
    assertEquals(IdsHash.of(a, 4), IdsHash.of(new int[] {1, 415, 2009, 7}));
    assertNotEquals(IdsHash.of(a), IdsHash.of(a, 5), "a prefix is another document");
    int[] b = a.clone();
    b[3] = 8;
    assertNotEquals(IdsHash.of(a), IdsHash.of(b));
    int[] swapped = {415, 1, 2009, 7, 7, 31999};
    assertNotEquals(IdsHash.of(a), IdsHash.of(swapped));
    assertNotEquals(IdsHash.of(new int[] {0}), IdsHash.of(new int[] {0, 0}));
  }

  @Test
  void noCollisionAmongManyRandomDocuments() {
    Random rnd = new Random(1);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      int[] ids = rnd.ints(1 + rnd.nextInt(20), 0, 50).toArray();
      seen.add(IdsHash.of(ids));
    }
    // Short documents over a small vocabulary repeat: count the distinct ones independently.
    Set<String> distinct = new HashSet<>();
    rnd = new Random(1);
    for (int i = 0; i < 100_000; i++) {
      int[] ids = rnd.ints(1 + rnd.nextInt(20), 0, 50).toArray();
      distinct.add(java.util.Arrays.toString(ids));
    }
    assertEquals(distinct.size(), seen.size());
  }
}
