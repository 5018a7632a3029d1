package dev.longmix.jobs.evalset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longmix.common.tokenizer.HfTokenizer;
import dev.longmix.common.tokenizer.SpecialTokens;
import dev.longmix.common.tokenizer.TokenDecoder;
import dev.longmix.jobs.manifest.EvalsetManifest;
import dev.longmix.jobs.manifest.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What every needle prompt of an evalset must be, checked with the tokenizer independently of the
 * stage's code: exactly {@code context_length} ids, the dataset's head first, the needle's own ids
 * at {@code needle_token_position}, that position the last sentence start at or before the depth
 * (sentence starts found here by decoding the haystack's prefixes, not token by token as the stage
 * does), the rest a prefix of one haystack, and the JSON lines equal to the Parquet rows.
 */
final class NeedleChecks {
  /** A sentence's end at the end of a text: . ! ? then closing quotes or brackets, then spaces. */
  private static final Pattern ENDS =
      Pattern.compile("[.!?\u3002\uFF01\uFF1F][\"')\\]\u201D\u2019\u00BB]*\\s*$");

  private NeedleChecks() {}

  /** A needle row as written. */
  record Prompt(
      int contextLength,
      double depth,
      int[] ids,
      int position,
      int requested,
      String prompt,
      String question,
      int[] questionIds,
      String answer) {}

  /** What the checks saw, for the test's report. */
  record Seen(int prompts, int reencodedEqual, int maxMovedBack) {}

  static List<Prompt> prompts(SparkSession spark, String eval) {
    List<Prompt> out = new ArrayList<>();
    for (Row r :
        spark
            .read()
            .parquet(eval + "/needle")
            .select(
                "context_length",
                "depth_percent",
                "input_ids",
                "needle_token_position",
                "requested_token_position",
                "prompt",
                "question",
                "question_ids",
                "answer")
            .collectAsList()) {
      out.add(
          new Prompt(
              r.getInt(0),
              r.getDouble(1),
              EvalsetFixtures.ints(r.getList(2)),
              r.getInt(3),
              r.getInt(4),
              r.getString(5),
              r.getString(6),
              EvalsetFixtures.ints(r.getList(7)),
              r.getString(8)));
    }
    return out;
  }

  static Seen check(SparkSession spark, String eval, Path tokenizer) throws IOException {
    EvalsetManifest m =
        Manifests.read(spark.sparkContext().hadoopConfiguration(), eval, EvalsetManifest.class)
            .orElseThrow()
            .body();
    EvalsetManifest.Needle n = m.needle();
    String json = Files.readString(tokenizer);
    List<Prompt> rows = prompts(spark, eval);
    rows.sort(Comparator.comparingInt(Prompt::contextLength).thenComparingDouble(Prompt::depth));
    assertEquals(n.contextLengths().size() * n.depthsPercent().size(), rows.size());
    int[] head = n.headIds().stream().mapToInt(Integer::intValue).toArray();
    int reencoded = 0;
    int moved = 0;
    try (HfTokenizer bare = HfTokenizer.fromJson(json, SpecialTokens.NONE, "<s>", "</s>");
        HfTokenizer framed =
            HfTokenizer.fromJson(json, SpecialTokens.POST_PROCESSOR, "<s>", "</s>");
        TokenDecoder decoder = TokenDecoder.fromJson(json)) {
      int[] needle = bare.encode(n.needle());
      assertArrayEquals(needle, n.needleIds().stream().mapToInt(Integer::intValue).toArray());
      int[] question = bare.encode(n.questionPrompt().replace("{question}", n.question()));
      // The haystack: the longest prompt without its needle.
      Prompt longest = rows.get(rows.size() - 1);
      int[] hay = withoutNeedle(longest, head.length, needle.length);
      for (Prompt p : rows) {
        String where = p.contextLength() + " tokens at " + p.depth() + "%";
        int[] ids = p.ids();
        assertEquals(p.contextLength(), ids.length, where + ": exactly context_length ids");
        assertArrayEquals(head, Arrays.copyOf(ids, head.length), where + ": the head first");
        int pos = p.position();
        assertArrayEquals(
            needle, Arrays.copyOfRange(ids, pos, pos + needle.length), where + ": the needle");
        int body = p.contextLength() - head.length - needle.length;
        int target = p.depth() >= 100 ? body : (int) Math.floor(body * p.depth() / 100);
        assertEquals(head.length + target, p.requested(), where + ": the position asked for");
        assertTrue(pos <= p.requested(), where + ": at or before the depth");
        int b = pos - head.length;
        assertArrayEquals(
            Arrays.copyOf(hay, body), withoutNeedle(p, head.length, needle.length), where);
        assertTrue(sentenceStart(decoder, hay, b), where + ": the needle starts a sentence");
        // (At the haystack's very end the stage also looks at the token after, which this copy of
        // it lacks.)
        for (int x = b + 1; x <= Math.min(target, hay.length - 1); x++) {
          assertFalse(
              sentenceStart(decoder, hay, x),
              where + ": a sentence starts at haystack token " + x + ", after " + b);
        }
        moved = Math.max(moved, target - b);
        assertEquals(decoder.decode(ids, true), p.prompt(), where + ": prompt is the ids' text");
        assertArrayEquals(question, p.questionIds(), where + ": question_ids");
        assertEquals(n.question(), p.question());
        assertEquals(n.answer(), p.answer());
        if (Arrays.equals(framed.encode(p.prompt()), ids)) {
          reencoded++;
        }
      }
    }
    // needle.jsonl: the same rows, the same fields, in the same order as the Parquet file.
    ObjectMapper mapper = new ObjectMapper();
    List<String> lines = Files.readAllLines(Path.of(eval, "needle.jsonl"));
    assertEquals(rows.size(), lines.size());
    List<Prompt> parquet = prompts(spark, eval);
    for (int i = 0; i < lines.size(); i++) {
      JsonNode j = mapper.readTree(lines.get(i));
      Prompt p = parquet.get(i);
      assertEquals(p.contextLength(), j.get("context_length").asInt());
      assertEquals(p.depth(), j.get("depth_percent").asDouble());
      assertArrayEquals(p.ids(), mapper.convertValue(j.get("input_ids"), int[].class));
      assertEquals(p.position(), j.get("needle_token_position").asInt());
      assertEquals(p.requested(), j.get("requested_token_position").asInt());
      assertEquals(p.prompt(), j.get("prompt").asText());
      assertEquals(p.question(), j.get("question").asText());
      assertArrayEquals(p.questionIds(), mapper.convertValue(j.get("question_ids"), int[].class));
      assertEquals(p.answer(), j.get("answer").asText());
    }
    return new Seen(rows.size(), reencoded, moved);
  }

  private static int[] withoutNeedle(Prompt p, int head, int needle) {
    int[] ids = p.ids();
    int[] out = new int[ids.length - head - needle];
    int b = p.position() - head;
    System.arraycopy(ids, head, out, 0, b);
    System.arraycopy(ids, p.position() + needle, out, b, ids.length - p.position() - needle);
    return out;
  }

  /**
   * Whether a sentence may start before haystack token {@code b}, from decoded prefixes: the text
   * of tokens [0, b) ends a sentence, and a space ends it or begins token b.
   */
  static boolean sentenceStart(TokenDecoder decoder, int[] hay, int b) {
    if (b == 0) {
      return true;
    }
    String before = decoder.decode(hay, 0, b, false);
    if (!ENDS.matcher(before).find()) {
      return false;
    }
    if (!before.isEmpty() && Character.isWhitespace(before.charAt(before.length() - 1))) {
      return true;
    }
    if (b == hay.length) {
      return true;
    }
    String more = decoder.decode(hay, 0, b + 1, false);
    return more.startsWith(before)
        && more.length() > before.length()
        && Character.isWhitespace(more.charAt(before.length()));
  }
}
