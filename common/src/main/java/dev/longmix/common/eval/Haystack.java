package dev.longmix.common.eval;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The haystack of the needle prompts: held-out documents' texts joined by a blank line and
 * tokenized once, as the authors tokenize their concatenated essays, with the places a sentence may
 * start. Every prompt's context is a prefix of it with the needle put in.
 */
public final class Haystack {
  /** What goes between two documents' texts. */
  public static final String SEPARATOR = "\n\n";

  private final int[] ids;
  private final boolean[] boundary;

  private Haystack(int[] ids, boolean[] boundary) {
    this.ids = ids;
    this.boundary = boundary;
  }

  /**
   * @param texts the documents' texts, in haystack order
   * @param encode text to ids, without any BOS or EOS
   * @param tokenText a token's text in running text (see {@link SentenceBoundaries})
   */
  public static Haystack of(
      List<String> texts, Function<String, int[]> encode, IntFunction<String> tokenText) {
    int[] ids = encode.apply(String.join(SEPARATOR, texts));
    return new Haystack(ids, SentenceBoundaries.of(ids, tokenText));
  }

  /** A haystack of these ids (tests). */
  static Haystack ofIds(int[] ids, boolean[] boundary) {
    return new Haystack(ids.clone(), boundary.clone());
  }

  /** Its tokens. */
  public int length() {
    return ids.length;
  }

  /** A copy of its ids. */
  public int[] ids() {
    return ids.clone();
  }

  /** Whether a sentence may begin before token {@code b}. */
  public boolean boundary(int b) {
    return boundary[b];
  }

  /**
   * A prompt of exactly {@code contextLength} ids: {@code head}, the first {@code contextLength −
   * head − needle} haystack tokens, and the needle put in before haystack token {@code b}: the last
   * sentence start at or before {@code floor(body × depth / 100)} ({@code body} at depth 100).
   */
  public Prompt place(int[] head, int[] needle, int contextLength, double depthPercent) {
    int body = contextLength - head.length - needle.length;
    if (body < 0 || body > ids.length) {
      throw new IllegalArgumentException(
          "context of "
              + contextLength
              + " tokens needs "
              + body
              + " haystack tokens beside "
              + head.length
              + " head and "
              + needle.length
              + " needle tokens; the haystack has "
              + ids.length);
    }
    if (!(depthPercent >= 0 && depthPercent <= 100)) {
      throw new IllegalArgumentException("depth must be in [0, 100], got " + depthPercent);
    }
    int target = depthPercent >= 100 ? body : (int) Math.floor(body * depthPercent / 100.0);
    int b = target;
    while (b > 0 && !boundary[b]) {
      b--;
    }
    int[] out = new int[contextLength];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(ids, 0, out, head.length, b);
    System.arraycopy(needle, 0, out, head.length + b, needle.length);
    System.arraycopy(ids, b, out, head.length + b + needle.length, body - b);
    return new Prompt(contextLength, depthPercent, out, head.length + b, head.length + target);
  }

  /**
   * One needle prompt.
   *
   * @param contextLength its length in tokens: {@code inputIds.length}
   * @param depthPercent the depth asked for
   * @param inputIds head, haystack and needle
   * @param needlePosition the needle's first token's index
   * @param targetPosition the index the depth asked for; {@code needlePosition <= targetPosition}
   */
  public record Prompt(
      int contextLength,
      double depthPercent,
      int[] inputIds,
      int needlePosition,
      int targetPosition) {

    @Override
    public boolean equals(Object o) {
      return o instanceof Prompt p
          && p.contextLength == contextLength
          && Double.compare(p.depthPercent, depthPercent) == 0
          && Arrays.equals(p.inputIds, inputIds)
          && p.needlePosition == needlePosition
          && p.targetPosition == targetPosition;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(inputIds) * 31 + needlePosition;
    }

    @Override
    public String toString() {
      return "Prompt["
          + contextLength
          + " tokens, depth "
          + depthPercent
          + "%, needle at "
          + needlePosition
          + " (asked "
          + targetPosition
          + ")]";
    }
  }
}
