package dev.longmix.common.report;

import java.util.Locale;

/** Escaping and number formats shared by the report's HTML and SVG. */
final class Html {
  private Html() {}

  /** Text safe inside elements and double-quoted attributes of HTML, XHTML and SVG. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> {
          // XML 1.0 forbids most control characters even as references; a domain name from a
          // corpus may hold one, so it is shown as U+FFFD rather than breaking the document.
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            sb.append('\uFFFD');
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  /** A share as a percentage with two decimals ("12.34%"); NaN as a dash. */
  static String percent(double share) {
    return Double.isNaN(share) ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * share);
  }

  /** A count with thousands separators. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
