package dev.longmix.common.corpus;

/** Why an input line did not become a document; the code is what the rejects dataset records. */
public enum RejectReason {
  MALFORMED_JSON("malformed_json"),
  NOT_AN_OBJECT("not_an_object"),
  JSON_TOO_DEEP("json_too_deep"),
  INVALID_UTF8("invalid_utf8"),
  INVALID_UNICODE_ESCAPE("invalid_unicode_escape"),
  BLANK_LINE("blank_line"),
  MISSING_TEXT("missing_text"),
  TEXT_NOT_STRING("text_not_string"),
  EMPTY_TEXT("empty_text"),
  BLANK_TEXT("blank_text"),
  MISSING_DOMAIN("missing_domain"),
  DOMAIN_NOT_STRING("domain_not_string"),
  UNKNOWN_DOMAIN("unknown_domain"),
  CORRUPT_FILE("corrupt_file"),
  UNREADABLE_FILE("unreadable_file"),
  TOKENIZER_ERROR("tokenizer_error");

  private final String code;

  RejectReason(String code) {
    this.code = code;
  }

  /** The stable, lower-case code written to the rejects dataset and manifests. */
  public String code() {
    return code;
  }
}
