package dev.longmix.common.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a SlimPajama line can be good or bad, as a table: the parser must turn each into a
 * document or into exactly the rejection reason the rejects dataset promises.
 */
class JsonRecordParserTest {
  private static final JsonRecordParser SLIM = new JsonRecordParser(RecordFields.slimPajama());

  private static ParsedLine parse(JsonRecordParser p, byte[] line) {
    // Parse from the middle of a larger buffer, as LineReader hands lines over.
    byte[] buf = new byte[line.length + 10];
    Arrays.fill(buf, (byte) '#');
    System.arraycopy(line, 0, buf, 5, line.length);
    return p.parse(buf, 5, line.length);
  }

  private static ParsedLine parse(String line) {
    return parse(SLIM, line.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object o : parts) {
      byte[] b = o instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) o;
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of("unterminated object", "{\"text\": \"abc\"", RejectReason.MALFORMED_JSON),
        Arguments.of("not JSON at all", "hello world", RejectReason.MALFORMED_JSON),
        Arguments.of(
            "missing colon",
            "{\"text\" \"abc\", \"meta\": {\"redpajama_set_name\": \"X\"}}",
            RejectReason.MALFORMED_JSON),
        Arguments.of(
            "trailing garbage",
            "{\"text\": \"abc\", \"meta\": {\"redpajama_set_name\": \"X\"}} xyz",
            RejectReason.MALFORMED_JSON),
        Arguments.of(
            "two objects on one line",
            "{\"text\": \"abc\", \"meta\": {\"redpajama_set_name\": \"X\"}}{}",
            RejectReason.MALFORMED_JSON),
        Arguments.of(
            "raw (unescaped) control character in a string",
            "{\"text\": \"a\u0001b\", \"meta\": {\"redpajama_set_name\": \"X\"}}",
            RejectReason.MALFORMED_JSON),
        Arguments.of("top-level array", "[{\"text\": \"abc\"}]", RejectReason.NOT_AN_OBJECT),
        Arguments.of("top-level string", "\"abc\"", RejectReason.NOT_AN_OBJECT),
        Arguments.of("top-level number", "42", RejectReason.NOT_AN_OBJECT),
        Arguments.of("empty line", "", RejectReason.BLANK_LINE),
        Arguments.of("whitespace line", " \t \r", RejectReason.BLANK_LINE),
        Arguments.of(
            "missing text",
            "{\"meta\": {\"redpajama_set_name\": \"X\"}}",
            RejectReason.MISSING_TEXT),
        Arguments.of(
            "text is a number",
            "{\"text\": 12, \"meta\": {\"redpajama_set_name\": \"X\"}}",
            RejectReason.TEXT_NOT_STRING),
        Arguments.of(
            "text is null",
            "{\"text\": null, \"meta\": {\"redpajama_set_name\": \"X\"}}",
            RejectReason.TEXT_NOT_STRING),
        Arguments.of(
            "text is an array",
            "{\"text\": [\"a\"], \"meta\": {\"redpajama_set_name\": \"X\"}}",
            RejectReason.TEXT_NOT_STRING),
        Arguments.of(
            "text is an object",
            "{\"text\": {\"a\": \"b\"}, \"meta\": {\"redpajama_set_name\": \"X\"}}",
            RejectReason.TEXT_NOT_STRING),
        Arguments.of(
            "empty text",
            "{\"text\": \"\", \"meta\": {\"redpajama_set_name\": \"X\"}}",
            RejectReason.EMPTY_TEXT),
        Arguments.of(
            "whitespace-only text",
            "{\"text\": \" \\n\\t\\r \", \"meta\": {\"redpajama_set_name\": \"X\"}}",
            RejectReason.BLANK_TEXT),
        Arguments.of("missing meta", "{\"text\": \"abc\"}", RejectReason.MISSING_DOMAIN),
        Arguments.of(
            "missing domain", "{\"text\": \"abc\", \"meta\": {}}", RejectReason.MISSING_DOMAIN),
        Arguments.of(
            "meta is a string",
            "{\"text\": \"abc\", \"meta\": \"X\"}",
            RejectReason.MISSING_DOMAIN),
        Arguments.of(
            "empty domain",
            "{\"text\": \"abc\", \"meta\": {\"redpajama_set_name\": \"\"}}",
            RejectReason.MISSING_DOMAIN),
        Arguments.of(
            "domain is a number",
            "{\"text\": \"abc\", \"meta\": {\"redpajama_set_name\": 7}}",
            RejectReason.DOMAIN_NOT_STRING),
        Arguments.of(
            "domain is null",
            "{\"text\": \"abc\", \"meta\": {\"redpajama_set_name\": null}}",
            RejectReason.DOMAIN_NOT_STRING),
        Arguments.of(
            "unpaired high surrogate escape",
            "{\"text\": \"ab\\ud800cd\", \"meta\": {\"redpajama_set_name\": \"X\"}}",
            RejectReason.INVALID_UNICODE_ESCAPE),
        Arguments.of(
            "unpaired low surrogate escape",
            "{\"text\": \"ab\\udc00\", \"meta\": {\"redpajama_set_name\": \"X\"}}",
            RejectReason.INVALID_UNICODE_ESCAPE),
        Arguments.of(
            "reversed surrogate pair",
            "{\"text\": \"\\ude00\\ud83d\", \"meta\": {\"redpajama_set_name\": \"X\"}}",
            RejectReason.INVALID_UNICODE_ESCAPE));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("rejected")
  void rejectsWithTheReason(String name, String line, RejectReason expected) {
    ParsedLine p = parse(line);
    ParsedLine.Rejected r = assertInstanceOf(ParsedLine.Rejected.class, p, name);
    assertEquals(expected, r.reason(), name + ": " + r.detail());
    assertTrue(r.detail() != null && !r.detail().isBlank(), "a rejection explains itself");
  }

  static Stream<Arguments> invalidUtf8() {
    return Stream.of(
        Arguments.of("0xFF in text", concat("{\"text\": \"ab", new byte[] {(byte) 0xFF}, "cd\", ")),
        Arguments.of("0xFE in text", concat("{\"text\": \"", new byte[] {(byte) 0xFE}, "\", ")),
        Arguments.of(
            "truncated 3-byte sequence",
            concat("{\"text\": \"ab", new byte[] {(byte) 0xE2, (byte) 0x82}, "\", ")),
        Arguments.of(
            "truncated 4-byte sequence",
            concat("{\"text\": \"ab", new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, "x\", ")),
        Arguments.of(
            "lone continuation byte", concat("{\"text\": \"a", new byte[] {(byte) 0x80}, "b\", ")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidUtf8")
  void invalidUtf8InTextIsRejectedAsInvalidUtf8(String name, byte[] head) {
    byte[] line = concat(head, "\"meta\": {\"redpajama_set_name\": \"X\"}}");
    ParsedLine.Rejected r = assertInstanceOf(ParsedLine.Rejected.class, parse(SLIM, line), name);
    assertEquals(RejectReason.INVALID_UTF8, r.reason(), name + ": " + r.detail());
  }

  @Test
  void invalidUtf8InDomainIsRejectedAsInvalidUtf8() {
    byte[] line =
        concat(
            "{\"text\": \"abc\", \"meta\": {\"redpajama_set_name\": \"X",
            new byte[] {(byte) 0xFF},
            "\"}}");
    ParsedLine.Rejected r = assertInstanceOf(ParsedLine.Rejected.class, parse(SLIM, line));
    assertEquals(RejectReason.INVALID_UTF8, r.reason(), r.detail());
  }

  @Test
  void invalidUtf8InAnIrrelevantFieldStillRejectsTheLine() {
    // The line as a whole is not UTF-8 JSON; a skipped field does not make it acceptable.
    byte[] line =
        concat(
            "{\"x\": \"a",
            new byte[] {(byte) 0xFF},
            "b\", \"text\": \"ok\", \"meta\": {\"redpajama_set_name\": \"X\"}}");
    ParsedLine.Rejected r = assertInstanceOf(ParsedLine.Rejected.class, parse(SLIM, line));
    assertEquals(RejectReason.INVALID_UTF8, r.reason(), r.detail());
  }

  @Test
  void goodRecord() {
    ParsedLine.Document d =
        assertInstanceOf(
            ParsedLine.Document.class,
            parse(
                "{\"text\": \"Hello, w\\u00f6rld \\ud83d\\ude00 ✓\", \"meta\":"
                    + " {\"redpajama_set_name\": \"RedPajamaC4\"}}"));
    assertEquals("Hello, wörld \uD83D\uDE00 ✓", d.text());
    assertEquals("RedPajamaC4", d.domain());
  }

  @Test
  void fieldOrderAndIrrelevantFieldsDoNotMatter() {
    ParsedLine.Document d =
        assertInstanceOf(
            ParsedLine.Document.class,
            parse(
                "{\"id\": 1, \"meta\": {\"x\": [1, {\"text\": 2}], \"redpajama_set_name\": \"D\","
                    + " \"text\": 5}, \"extra\": {\"meta\": null}, \"text\": \"body\"}"));
    assertEquals("body", d.text());
    assertEquals("D", d.domain());
  }

  @Test
  void nestedDomainPath() {
    JsonRecordParser p = new JsonRecordParser(RecordFields.of("text", "a.b.c", Set.of()));
    ParsedLine.Document d =
        assertInstanceOf(
            ParsedLine.Document.class,
            parse(
                p,
                "{\"a\": {\"b\": {\"x\": 1, \"c\": \"deep\"}, \"c\": \"shallow\"}, \"text\": \"t\"}"
                    .getBytes(StandardCharsets.UTF_8)));
    assertEquals("deep", d.domain());
    ParsedLine.Rejected r =
        assertInstanceOf(
            ParsedLine.Rejected.class,
            parse(p, "{\"a\": {\"c\": \"x\"}, \"text\": \"t\"}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(RejectReason.MISSING_DOMAIN, r.reason());
  }

  @Test
  void customFieldNames() {
    JsonRecordParser p = new JsonRecordParser(RecordFields.of("content", "source", Set.of()));
    ParsedLine.Document d =
        assertInstanceOf(
            ParsedLine.Document.class,
            parse(
                p,
                "{\"text\": 1, \"content\": \"body\", \"source\": \"web\"}"
                    .getBytes(StandardCharsets.UTF_8)));
    assertEquals("body", d.text());
    assertEquals("web", d.domain());
    // The SlimPajama field names mean nothing to this parser.
    ParsedLine.Rejected r =
        assertInstanceOf(
            ParsedLine.Rejected.class,
            parse(
                p,
                "{\"text\": \"a\", \"meta\": {\"redpajama_set_name\": \"X\"}}"
                    .getBytes(StandardCharsets.UTF_8)));
    assertEquals(RejectReason.MISSING_TEXT, r.reason());
  }

  @Test
  void nestedTextPath() {
    JsonRecordParser p = new JsonRecordParser(RecordFields.of("doc.body", "doc.lang", Set.of()));
    ParsedLine.Document d =
        assertInstanceOf(
            ParsedLine.Document.class,
            parse(
                p,
                "{\"doc\": {\"lang\": \"en\", \"body\": \"hi\"}}"
                    .getBytes(StandardCharsets.UTF_8)));
    assertEquals("hi", d.text());
    assertEquals("en", d.domain());
  }

  @Test
  void unknownDomainWhenASetIsConfigured() {
    JsonRecordParser p =
        new JsonRecordParser(
            RecordFields.of(
                "text", "meta.redpajama_set_name", Set.of("RedPajamaC4", "RedPajamaBook")));
    assertInstanceOf(
        ParsedLine.Document.class,
        parse(
            p,
            "{\"text\": \"a\", \"meta\": {\"redpajama_set_name\": \"RedPajamaBook\"}}"
                .getBytes(StandardCharsets.UTF_8)));
    ParsedLine.Rejected r =
        assertInstanceOf(
            ParsedLine.Rejected.class,
            parse(
                p,
                "{\"text\": \"a\", \"meta\": {\"redpajama_set_name\": \"redpajamabook\"}}"
                    .getBytes(StandardCharsets.UTF_8)));
    assertEquals(RejectReason.UNKNOWN_DOMAIN, r.reason());
    assertTrue(r.detail().contains("redpajamabook"), r.detail());
  }

  @Test
  void escapedNulAndControlCharactersAreText() {
    ParsedLine.Document d =
        assertInstanceOf(
            ParsedLine.Document.class,
            parse(
                "{\"text\": \"a\\u0000b\\u0001c\\u001fd\\u007f\\b\\f</s><s>\", \"meta\":"
                    + " {\"redpajama_set_name\": \"X\"}}"));
    assertEquals("a\u0000b\u0001c\u001fd\u007f\b\f</s><s>", d.text());
  }

  @Test
  void aHugeStringIsADocument() {
    int n = 25_000_000;
    byte[] head =
        "{\"meta\": {\"redpajama_set_name\": \"RedPajamaBook\"}, \"text\": \""
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
    byte[] line = new byte[head.length + n + tail.length];
    System.arraycopy(head, 0, line, 0, head.length);
    for (int i = 0; i < n; i++) {
      line[head.length + i] = (byte) ('a' + i % 26);
    }
    System.arraycopy(tail, 0, line, head.length + n, tail.length);
    ParsedLine.Document d =
        assertInstanceOf(ParsedLine.Document.class, SLIM.parse(line, 0, line.length));
    assertEquals(n, d.text().length());
    assertEquals("RedPajamaBook", d.domain());
  }

  @Test
  void aDeeplyNestedIrrelevantFieldIsSkipped() {
    int depth = 5_000;
    StringBuilder sb = new StringBuilder("{\"text\": \"t\", \"junk\": ");
    sb.append("[{\"k\": ".repeat(depth)).append("1").append("}]".repeat(depth));
    sb.append(", \"meta\": {\"deep\": ").append("[".repeat(depth)).append("]".repeat(depth));
    sb.append(", \"redpajama_set_name\": \"X\"}}");
    ParsedLine.Document d = assertInstanceOf(ParsedLine.Document.class, parse(sb.toString()));
    assertEquals("t", d.text());
    assertEquals("X", d.domain());
  }

  @Test
  void aDeeplyNestedTextIsNotAStringNotAStackOverflow() {
    int depth = 5_000;
    String line =
        "{\"text\": "
            + "[".repeat(depth)
            + "]".repeat(depth)
            + ", \"meta\": {\"redpajama_set_name\": \"X\"}}";
    ParsedLine.Rejected r = assertInstanceOf(ParsedLine.Rejected.class, parse(line));
    assertEquals(RejectReason.TEXT_NOT_STRING, r.reason());
  }

  @Test
  void rawSurrogateBytesAreRejected() {
    // CESU-8 style bytes for U+D800: not valid UTF-8; must never become a document.
    byte[] line =
        concat(
            "{\"text\": \"a",
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            "\", \"meta\": {\"redpajama_set_name\": \"X\"}}");
    ParsedLine.Rejected r = assertInstanceOf(ParsedLine.Rejected.class, parse(SLIM, line));
    assertTrue(
        r.reason() == RejectReason.INVALID_UTF8
            || r.reason() == RejectReason.INVALID_UNICODE_ESCAPE,
        r.reason() + ": " + r.detail());
  }

  /**
   * A named source's line: its domain is the source's name whatever the record says or lacks, and
   * every other rule is unchanged.
   */
  @Test
  void aNamedSourcesLineTakesTheSourcesNameAsItsDomain() {
    String[][] cases = {
      {"{\"text\": \"abc\"}", "books"},
      {"{\"text\": \"abc\", \"meta\": {\"redpajama_set_name\": \"RedPajamaC4\"}}", "books"},
      {"{\"text\": \"abc\", \"meta\": {\"redpajama_set_name\": 7}}", "books"},
      {"{\"meta\": [1, 2], \"text\": \"abc\"}", "books"},
    };
    for (String[] c : cases) {
      byte[] line = c[0].getBytes(StandardCharsets.UTF_8);
      ParsedLine.Document d =
          assertInstanceOf(ParsedLine.Document.class, SLIM.parse(line, 0, line.length, c[1]), c[0]);
      assertEquals("abc", d.text());
      assertEquals("books", d.domain());
    }
    for (String[] bad :
        new String[][] {
          {"{\"meta\": {\"redpajama_set_name\": \"X\"}}", "MISSING_TEXT"},
          {"{\"text\": \"  \"}", "BLANK_TEXT"},
          {"{\"text\": 5}", "TEXT_NOT_STRING"},
          {"[1]", "NOT_AN_OBJECT"},
          {"{\"text\": \"abc\"", "MALFORMED_JSON"},
        }) {
      byte[] line = bad[0].getBytes(StandardCharsets.UTF_8);
      ParsedLine.Rejected r =
          assertInstanceOf(
              ParsedLine.Rejected.class, SLIM.parse(line, 0, line.length, "books"), bad[0]);
      assertEquals(RejectReason.valueOf(bad[1]), r.reason(), bad[0]);
    }
    // Without a source name the domain field is still required.
    assertEquals(
        RejectReason.MISSING_DOMAIN, ((ParsedLine.Rejected) parse("{\"text\": \"abc\"}")).reason());
  }
}
