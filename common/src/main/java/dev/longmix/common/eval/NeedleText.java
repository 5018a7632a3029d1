package dev.longmix.common.eval;

import dev.longmix.common.config.ConfigException;

/**
 * The needle, the question that asks for it, the answer a correct output contains, and the text
 * appended after the context to ask the question.
 *
 * @param needle the sentence hidden in the haystack
 * @param question the question
 * @param answer what a correct output contains (scored on its words, punctuation ignored)
 * @param questionPrompt the text after the context, {@code {question}} standing for the question
 */
public record NeedleText(String needle, String question, String answer, String questionPrompt) {
  public static final String NEEDLE = "needle";
  public static final String QUESTION = "question";
  public static final String ANSWER = "answer";
  public static final String QUESTION_PROMPT = "question-prompt";
  static final String PLACEHOLDER = "{question}";

  /** The classic needle of gkamradt's and the authors' scripts, newlines included. */
  public static final String NEEDLE_DEFAULT =
      "\nThe best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a"
          + " sunny day.\n";

  public static final String QUESTION_DEFAULT = "What is the best thing to do in San Francisco?";
  public static final String ANSWER_DEFAULT =
      "eat a sandwich and sit in Dolores Park on a sunny day.";

  /**
   * The authors' text after the context, without their {@code </book>.}: the contract has no field
   * for the {@code <book>} that would open it before the context.
   */
  public static final String QUESTION_PROMPT_DEFAULT =
      "\n Based on the content of the book, Question: {question}\nAnswer:";

  public NeedleText {
    if (needle == null || needle.isBlank()) {
      throw ConfigException.invalid(NEEDLE, needle, "must not be blank");
    }
    if (question == null || question.isBlank()) {
      throw ConfigException.invalid(QUESTION, question, "must not be blank");
    }
    if (answer == null || answer.codePoints().noneMatch(Character::isLetterOrDigit)) {
      throw ConfigException.invalid(
          ANSWER, answer, "must contain a word (letters or digits): it is what the scorer finds");
    }
    if (questionPrompt == null || !questionPrompt.contains(PLACEHOLDER)) {
      throw ConfigException.invalid(
          QUESTION_PROMPT,
          questionPrompt,
          "must contain " + PLACEHOLDER + " where the question goes");
    }
  }

  /** The defaults. */
  public static NeedleText classic() {
    return new NeedleText(
        NEEDLE_DEFAULT, QUESTION_DEFAULT, ANSWER_DEFAULT, QUESTION_PROMPT_DEFAULT);
  }

  /** The text appended after the context: the prompt with the question in it. */
  public String questionText() {
    return questionPrompt.replace(PLACEHOLDER, question);
  }
}
