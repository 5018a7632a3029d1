package dev.longmix.common.corpus;

/** The outcome of parsing one input line: a document or a rejection, never neither. */
public sealed interface ParsedLine {

  /** A line that holds a usable document. */
  record Document(String text, String domain) implements ParsedLine {}

  /** A line that cannot be a document, with the reason and a short human-readable detail. */
  record Rejected(RejectReason reason, String detail) implements ParsedLine {}
}
