package dev.longmix.common.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WordMemoTest {
  private static int[] idsOf(WordMemo memo, int record) {
    int start = memo.idStart(record);
    return Arrays.copyOfRange(memo.pool(), start, start + memo.idCount(record));
  }

  private static int add(WordMemo memo, String word, long... ids) {
    char[] buf = word.toCharArray();
    int h = WordMemo.hash(buf, 0, buf.length);
    int miss = memo.find(buf, 0, buf.length, h);
    assertTrue(miss < 0, word + " was not there yet");
    return memo.put(-1 - miss, buf, 0, buf.length, h, ids, 0, ids.length);
  }

  private static int find(WordMemo memo, String word) {
    char[] buf = ("xx" + word + "yy").toCharArray(); // a word inside a larger buffer
    return memo.find(buf, 2, 2 + word.length(), WordMemo.hash(buf, 2, 2 + word.length()));
  }

  @Test
  void findsWhatWasPutWithItsIds() {
    WordMemo memo = new WordMemo(1000);
    // Odd and even lengths, characters above 0x7fff (their packing sets the int's sign bit).
    String[] words = {"▁the", "▁an", "x", "東京", "▁▁▁▁", "\uffff\u8000", "\ud83d\ude00", "e."};
    int[] records = new int[words.length];
    for (int i = 0; i < words.length; i++) {
      records[i] = add(memo, words[i], 100 + i, 200 + i, 300 + i);
    }
    for (int i = 0; i < words.length; i++) {
      int r = find(memo, words[i]);
      assertEquals(records[i], r, words[i]);
      assertArrayEquals(new int[] {100 + i, 200 + i, 300 + i}, idsOf(memo, r), words[i]);
    }
    // Prefixes, extensions and same-length neighbours of stored words are not found.
    for (String absent : new String[] {"▁th", "▁thee", "▁thf", "東", "y", "", "\uffff\u8001"}) {
      assertTrue(find(memo, absent) < 0, absent);
    }
    assertEquals(words.length, memo.size());
  }

  @Test
  void emptiesItselfOnlyBetweenDocumentsOnceFull() {
    WordMemo memo = new WordMemo(3);
    memo.startDocument();
    for (int i = 0; i < 4; i++) {
      // A document may take the memo past its maximum (up to half its slots: 4 of 8 here).
      assertTrue(add(memo, "w" + i, i) >= 0);
    }
    assertEquals(4, memo.size());
    assertTrue(find(memo, "w3") >= 0);
    memo.startDocument();
    assertEquals(0, memo.size());
    assertTrue(find(memo, "w3") < 0);
    int r = add(memo, "w3", 44, 45);
    assertArrayEquals(new int[] {44, 45}, idsOf(memo, find(memo, "w3")));
    assertEquals(0, r, "the pool is reused from its start");
  }

  @Test
  void emptiesItselfWhenItsPoolIsSpentBeforeItsWordCount() {
    WordMemo memo = new WordMemo(1000); // a pool of 16,000 ints
    long[] ids = new long[100];
    memo.startDocument();
    for (int i = 0; i < 200; i++) {
      add(memo, String.format("%060d", i), ids); // 131 ints each: 26,200 in all
    }
    assertEquals(200, memo.size());
    memo.startDocument();
    assertEquals(0, memo.size(), "200 words of 1000 allowed, but the pool is spent");
  }

  @Test
  void refusesWordsOnceHalfFullInsideADocument() {
    WordMemo memo = new WordMemo(2); // 4 slots
    add(memo, "a", 1);
    add(memo, "b", 2);
    char[] c = {'c'};
    int h = WordMemo.hash(c, 0, 1);
    int miss = memo.find(c, 0, 1, h);
    assertTrue(miss < 0);
    assertEquals(-1, memo.put(-1 - miss, c, 0, 1, h, new long[] {3}, 0, 1));
    assertTrue(find(memo, "c") < 0, "and every lookup still ends");
    assertTrue(find(memo, "a") >= 0);
  }

  @Test
  void manyWordsWithCollidingSlotsStayDistinct() {
    WordMemo memo = new WordMemo(1 << 14);
    for (int i = 0; i < 1 << 14; i++) {
      add(memo, Integer.toString(i, 7), i, -i);
    }
    for (int i = 0; i < 1 << 14; i++) {
      assertArrayEquals(new int[] {i, -i}, idsOf(memo, find(memo, Integer.toString(i, 7))));
    }
  }

  @Test
  void countsLookupsAndHits() {
    WordMemo memo = new WordMemo(10);
    memo.count(true);
    memo.count(false);
    memo.count(true);
    assertEquals(3, memo.lookups());
    assertEquals(2, memo.hits());
  }
}
