package dev.longmix.common.corpus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.CharConversionException;
import java.io.IOException;
import java.util.List;

/**
 * Turns one JSON line into a document or a reasoned rejection, reading only the two fields it
 * needs.
 *
 * <p>Streaming (no tree is built): unrelated values, however large or deeply nested, are skipped.
 * Limits are lifted on purpose: a book of tens of millions of characters is a valid document and
 * must not be rejected by Jackson's default 20M-character string cap.
 */
public final class JsonRecordParser {
  private static final int MAX_NESTING = 1_000_000;

  private final JsonFactory factory;
  private final RecordFields fields;

  public JsonRecordParser(RecordFields fields) {
    this.fields = fields;
    this.factory =
        JsonFactory.builder()
            .streamReadConstraints(
                withoutNameLimit(
                        StreamReadConstraints.builder()
                            .maxStringLength(Integer.MAX_VALUE)
                            .maxNestingDepth(MAX_NESTING)
                            .maxNumberLength(Integer.MAX_VALUE))
                    .build())
            .build();
  }

  /**
   * Lifts the cap on field-name length that Jackson 2.16 introduced. The Spark 3.5 line ships
   * Jackson 2.15, which has no such cap and no method to set it, so it is called only where it
   * exists (we compile against the cluster's Jackson and must run on it).
   */
  static StreamReadConstraints.Builder withoutNameLimit(StreamReadConstraints.Builder b) {
    try {
      return (StreamReadConstraints.Builder)
          StreamReadConstraints.Builder.class
              .getMethod("maxNameLength", int.class)
              .invoke(b, Integer.MAX_VALUE);
    } catch (NoSuchMethodException e) {
      return b;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot lift Jackson's name-length limit", e);
    }
  }

  /** Parses the UTF-8 bytes {@code buf[off, off+len)} of one line (without its newline). */
  public ParsedLine parse(byte[] buf, int off, int len) {
    return parse(buf, off, len, null);
  }

  /**
   * {@link #parse(byte[], int, int)} for a line of a named source: when {@code sourceDomain} is not
   * null the record's domain field is not read (it need not exist) and the document's domain is
   * {@code sourceDomain}.
   */
  public ParsedLine parse(byte[] buf, int off, int len, String sourceDomain) {
    if (isBlank(buf, off, len)) {
      return new ParsedLine.Rejected(RejectReason.BLANK_LINE, "empty or whitespace-only line");
    }
    Found found = new Found();
    if (sourceDomain != null) {
      found.domainPrefixDepth = -1; // never on the domain path
    }
    try (JsonParser p = factory.createParser(buf, off, len)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        return new ParsedLine.Rejected(
            RejectReason.NOT_AN_OBJECT, "top-level JSON value is " + describe(first));
      }
      walk(p, 0, found);
      JsonToken trailing = p.nextToken();
      if (trailing != null) {
        return new ParsedLine.Rejected(
            RejectReason.MALFORMED_JSON, "content after the JSON object: " + describe(trailing));
      }
    } catch (StreamConstraintsException e) {
      return new ParsedLine.Rejected(RejectReason.JSON_TOO_DEEP, firstLine(e));
    } catch (CharConversionException e) {
      return new ParsedLine.Rejected(RejectReason.INVALID_UTF8, firstLine(e));
    } catch (JsonProcessingException e) {
      String message = firstLine(e);
      RejectReason reason =
          message.contains("UTF-8") || message.contains("UTF8")
              ? RejectReason.INVALID_UTF8
              : RejectReason.MALFORMED_JSON;
      return new ParsedLine.Rejected(reason, message);
    } catch (IOException e) {
      return new ParsedLine.Rejected(RejectReason.MALFORMED_JSON, firstLine(e));
    }
    return sourceDomain != null
        ? validate(found.text, found.textKind, sourceDomain, "a string")
        : validate(found.text, found.textKind, found.domain, found.domainKind);
  }

  /**
   * Applies the same rules to a record from a columnar source (Parquet), where a null value means
   * the field is missing; a named source passes its name as {@code domain}.
   */
  public ParsedLine check(String text, String domain) {
    return validate(
        text, text == null ? null : "a string", domain, domain == null ? null : "a string");
  }

  private ParsedLine validate(String text, String textKind, String domain, String domainKind) {
    String textField = String.join(".", fields.textPath());
    String domainField = String.join(".", fields.domainPath());
    if (textKind == null) {
      return new ParsedLine.Rejected(RejectReason.MISSING_TEXT, "no field '" + textField + "'");
    }
    if (text == null) {
      return new ParsedLine.Rejected(
          RejectReason.TEXT_NOT_STRING, "'" + textField + "' is " + textKind);
    }
    if (text.isEmpty()) {
      return new ParsedLine.Rejected(RejectReason.EMPTY_TEXT, "'" + textField + "' is empty");
    }
    if (text.isBlank()) {
      return new ParsedLine.Rejected(
          RejectReason.BLANK_TEXT, "'" + textField + "' holds only whitespace");
    }
    int bad = unpairedSurrogate(text);
    if (bad >= 0) {
      return new ParsedLine.Rejected(
          RejectReason.INVALID_UNICODE_ESCAPE,
          "unpaired surrogate \\u"
              + Integer.toHexString(text.charAt(bad))
              + " at character "
              + bad);
    }
    if (domainKind == null || (domain != null && domain.isEmpty())) {
      return new ParsedLine.Rejected(
          RejectReason.MISSING_DOMAIN, "no non-empty field '" + domainField + "'");
    }
    if (domain == null) {
      return new ParsedLine.Rejected(
          RejectReason.DOMAIN_NOT_STRING, "'" + domainField + "' is " + domainKind);
    }
    if (!fields.allowedDomains().isEmpty() && !fields.allowedDomains().contains(domain)) {
      return new ParsedLine.Rejected(
          RejectReason.UNKNOWN_DOMAIN,
          "domain '" + abbreviate(domain, 200) + "' is not in the configured set");
    }
    return new ParsedLine.Document(text, domain);
  }

  /** Walks an object whose START_OBJECT was just read, at {@code depth} along the paths. */
  private void walk(JsonParser p, int depth, Found found) throws IOException {
    List<String> text = fields.textPath();
    List<String> domain = fields.domainPath();
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      boolean onText = onPath(text, depth, name, found.textPrefixDepth);
      boolean onDomain = onPath(domain, depth, name, found.domainPrefixDepth);
      if (onText && depth == text.size() - 1) {
        found.textKind = describe(value);
        found.text = value == JsonToken.VALUE_STRING ? p.getText() : null;
        p.skipChildren();
      } else if (onDomain && depth == domain.size() - 1) {
        found.domainKind = describe(value);
        found.domain = value == JsonToken.VALUE_STRING ? p.getText() : null;
        p.skipChildren();
      } else if ((onText || onDomain) && value == JsonToken.START_OBJECT) {
        int savedText = found.textPrefixDepth;
        int savedDomain = found.domainPrefixDepth;
        found.textPrefixDepth = onText ? depth + 1 : -1;
        found.domainPrefixDepth = onDomain ? depth + 1 : -1;
        walk(p, depth + 1, found);
        found.textPrefixDepth = savedText;
        found.domainPrefixDepth = savedDomain;
      } else {
        p.skipChildren();
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new JsonProcessingException("unterminated object") {};
    }
  }

  /** Whether {@code name} at {@code depth} continues {@code path}, whose prefix matched so far. */
  private static boolean onPath(List<String> path, int depth, String name, int matchedDepth) {
    return matchedDepth == depth && depth < path.size() && path.get(depth).equals(name);
  }

  private static int unpairedSurrogate(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isBlank(byte[] buf, int off, int len) {
    for (int i = off, end = off + len; i < end; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n' && b != '\f') {
        return false;
      }
    }
    return true;
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "missing";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : t.asString();
    };
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return abbreviate(nl < 0 ? m : m.substring(0, nl), 300);
  }

  static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  /** Mutable scratch for one parse; the text/domain kinds are null when the field was absent. */
  private static final class Found {
    String text;
    String textKind;
    String domain;
    String domainKind;
    int textPrefixDepth = 0;
    int domainPrefixDepth = 0;
  }
}
