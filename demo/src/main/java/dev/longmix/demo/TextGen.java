package dev.longmix.demo;

import java.util.SplittableRandom;

/**
 * Writes one synthetic document of a given domain and approximate length. Everything comes from
 * {@link Lexicon} and the document's own random stream, so a document depends only on its seed.
 */
final class TextGen {

  /** Valid-but-awkward content sprinkled into some documents. */
  enum EdgeCase {
    SPECIAL_TOKENS,
    ACCENTS,
    CJK,
    EMOJI,
    TABS,
    CONTROL_CHAR,
    CRLF,
    LONG_TOKEN
  }

  private static final String[] SPECIALS = {"</s>", "<s>", "<|endoftext|>"};
  private static final String[] MONTHS = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December"
  };
  private static final String[] ROMAN = {
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
    "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII", "XXIII", "XXIV", "XXV", "XXVI", "XXVII",
    "XXVIII", "XXIX", "XXX"
  };
  private static final String[] GREEK = {
    "\\alpha",
    "\\beta",
    "\\gamma",
    "\\delta",
    "\\epsilon",
    "\\lambda",
    "\\mu",
    "\\sigma",
    "\\theta",
    "\\omega",
    "\\phi",
    "\\psi"
  };
  private static final int[] EMOJI = {
    0x1F600, 0x1F602, 0x1F60D, 0x1F914, 0x1F680, 0x1F389, 0x1F4A1, 0x1F525, 0x2705, 0x1F44D
  };
  private static final char[] CONTROLS = {'\u000c', '\u0007', '\u001b', '\u0001', '\u007f'};
  private static final String B64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private final Lexicon lex = Lexicon.DEFAULT;
  private final SplittableRandom r;
  private final StringBuilder sb;
  private final int target;
  private final EdgeCase edge;
  private final int edgeAt;
  private boolean edgeDone;

  private TextGen(long seed, int targetChars, EdgeCase edge) {
    this.r = new SplittableRandom(seed);
    this.target = Math.max(targetChars, 1);
    this.sb = new StringBuilder(this.target + this.target / 8 + 256);
    this.edge = edge;
    this.edgeAt = r.nextInt(this.target);
    this.edgeDone = edge == null;
  }

  /** A document of {@code domain}, about {@code targetChars} long, with an optional edge case. */
  static String generate(SampleCorpus.Domain domain, long seed, int targetChars, EdgeCase edge) {
    TextGen g = new TextGen(seed, targetChars, edge);
    switch (domain) {
      case COMMON_CRAWL -> g.commonCrawl();
      case C4 -> g.c4();
      case GITHUB -> g.github();
      case BOOK -> g.book();
      case ARXIV -> g.arxiv();
      case WIKIPEDIA -> g.wikipedia();
      case STACK_EXCHANGE -> g.stackExchange();
      default -> throw new IllegalArgumentException(domain.name());
    }
    if (!g.edgeDone) {
      g.sb.append('\n');
      g.edgeNow();
    }
    return g.sb.toString();
  }

  private boolean done() {
    return sb.length() >= target;
  }

  // ---------------------------------------------------------------- edge cases

  /** Called at block boundaries (after a newline): inserts the edge case once past its position. */
  private void boundary() {
    if (!edgeDone && sb.length() >= edgeAt) {
      edgeNow();
      sb.append('\n');
    }
  }

  private void edgeNow() {
    edgeDone = true;
    switch (edge) {
      case SPECIAL_TOKENS -> {
        String tok = SPECIALS[r.nextInt(SPECIALS.length)];
        sentenceWith(tok);
        sb.append(' ');
        if (r.nextBoolean()) {
          sb.append("<s>");
          sentence(4, 12);
          sb.append("</s>");
        } else {
          sentenceWith(SPECIALS[r.nextInt(SPECIALS.length)]);
        }
      }
      case ACCENTS -> {
        int n = 8 + r.nextInt(12);
        for (int i = 0; i < n; i++) {
          String w = i % 2 == 0 ? accented(lex.content(r)) : lex.zipf(r);
          sb.append(i == 0 ? cap(w) : w).append(i == n - 1 ? "." : " ");
        }
      }
      case CJK -> {
        sentence(4, 10);
        sb.append(' ');
        int n = 10 + r.nextInt(60);
        for (int i = 1; i <= n; i++) {
          sb.append((char) (0x4E00 + r.nextInt(0x9FA5 - 0x4E00)));
          if (i % 12 == 0) {
            sb.append(i == n ? '\u3002' : '\uFF0C');
          }
        }
        sb.append('\u3002');
      }
      case EMOJI -> {
        int n = 6 + r.nextInt(14);
        for (int i = 0; i < n; i++) {
          String w = lex.zipf(r);
          sb.append(i == 0 ? cap(w) : w).append(' ');
          if (r.nextInt(3) == 0) {
            sb.appendCodePoint(EMOJI[r.nextInt(EMOJI.length)]);
            if (r.nextInt(4) == 0) {
              sb.appendCodePoint(0x1F3FD); // skin-tone modifier
            }
            sb.append(' ');
          }
        }
        sb.append("\u2764\uFE0F!");
      }
      case TABS -> {
        int cols = 2 + r.nextInt(4);
        int rows = 2 + r.nextInt(6);
        for (int row = 0; row < rows; row++) {
          for (int c = 0; c < cols; c++) {
            if (c > 0) {
              sb.append('\t');
            }
            sb.append(row == 0 ? cap(lex.content(r)) : Integer.toString(r.nextInt(10_000)));
          }
          if (row < rows - 1) {
            sb.append('\n');
          }
        }
      }
      case CONTROL_CHAR -> {
        sentence(3, 8);
        sb.append(CONTROLS[r.nextInt(CONTROLS.length)]);
        sentence(3, 8);
      }
      case CRLF -> {
        int n = 2 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
          sentence(4, 14);
          sb.append("\r\n");
        }
      }
      case LONG_TOKEN -> {
        sb.append("data:application/octet-stream;base64,");
        int n = 2000 + r.nextInt(6000);
        for (int i = 0; i < n; i++) {
          sb.append(B64.charAt(r.nextInt(64)));
        }
        sb.append("==");
      }
      default -> throw new IllegalStateException(edge.name());
    }
  }

  private String accented(String w) {
    StringBuilder a = new StringBuilder(w.length());
    boolean changed = false;
    for (int i = 0; i < w.length(); i++) {
      char c = w.charAt(i);
      char x = c;
      if (!changed || r.nextInt(4) == 0) {
        x =
            switch (c) {
              case 'a' -> "\u00e1\u00e0\u00e2\u00e4\u00e5".charAt(r.nextInt(5));
              case 'e' -> "\u00e9\u00e8\u00ea\u00eb".charAt(r.nextInt(4));
              case 'i' -> "\u00ed\u00ee\u00ef".charAt(r.nextInt(3));
              case 'o' -> "\u00f3\u00f6\u00f8\u00f4".charAt(r.nextInt(4));
              case 'u' -> "\u00fa\u00fc\u00fb".charAt(r.nextInt(3));
              case 'n' -> '\u00f1';
              case 'c' -> '\u00e7';
              case 's' -> r.nextBoolean() ? '\u0161' : 's';
              default -> c;
            };
      }
      changed |= x != c;
      a.append(x);
    }
    return a.toString();
  }

  // ---------------------------------------------------------------- prose

  private static String cap(String w) {
    return Character.toUpperCase(w.charAt(0)) + w.substring(1);
  }

  private String name() {
    return cap(lex.content(r));
  }

  private String title(int min, int max) {
    int n = min + r.nextInt(max - min + 1);
    StringBuilder t = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        t.append(' ');
      }
      t.append(i > 0 && r.nextInt(4) == 0 ? lex.zipf(r) : cap(lex.content(r)));
    }
    return t.toString();
  }

  private void sentence(int minWords, int maxWords) {
    int n = minWords + r.nextInt(maxWords - minWords + 1);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      int k = r.nextInt(100);
      if (k < 3) {
        sb.append(r.nextInt(k == 0 ? 3000 : 100));
      } else if (k < 6 && i > 0) {
        sb.append(name());
      } else {
        String w = lex.zipf(r);
        sb.append(i == 0 ? cap(w) : w);
      }
      if (i < n - 1 && r.nextInt(100) < 7) {
        sb.append(',');
      }
    }
    int p = r.nextInt(100);
    sb.append(p < 88 ? '.' : p < 95 ? '?' : '!');
  }

  private void sentenceWith(String inserted) {
    int n = 5 + r.nextInt(10);
    int at = 1 + r.nextInt(n - 1);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      String w = lex.zipf(r);
      sb.append(i == 0 ? cap(w) : w);
      if (i == at) {
        sb.append(' ').append(inserted);
      }
    }
    sb.append('.');
  }

  /** Sentences until the paragraph's count or the document's target is reached. */
  private void paragraph(int minSentences, int maxSentences) {
    int n = minSentences + r.nextInt(maxSentences - minSentences + 1);
    for (int i = 0; i < n && !done(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sentence(5, 26);
    }
  }

  private void paragraphs(String separator, int minSentences, int maxSentences) {
    while (!done()) {
      paragraph(minSentences, maxSentences);
      if (!done()) {
        sb.append(separator);
        boundary();
      }
    }
  }

  private void c4() {
    paragraphs("\n", 2, 6);
  }

  private void commonCrawl() {
    if (r.nextInt(10) < 4) {
      int n = 3 + r.nextInt(5);
      for (int i = 0; i < n; i++) {
        sb.append(i == 0 ? "" : " | ").append(cap(lex.content(r)));
      }
      sb.append('\n');
    }
    if (r.nextBoolean()) {
      sb.append(title(2, 8)).append('\n');
      if (r.nextInt(3) == 0) {
        sb.append("Posted on ")
            .append(MONTHS[r.nextInt(12)])
            .append(' ')
            .append(1 + r.nextInt(28))
            .append(", ")
            .append(2008 + r.nextInt(16))
            .append(" by ")
            .append(name())
            .append('\n');
      }
    }
    String sep = r.nextBoolean() ? "\n" : "\n\n";
    while (!done()) {
      int k = r.nextInt(20);
      if (k == 0) {
        sb.append(cap(lex.content(r))).append(':');
      } else if (k == 1) {
        int items = 2 + r.nextInt(5);
        for (int i = 0; i < items; i++) {
          sb.append(i == 0 ? "" : "\n").append("- ");
          sentence(2, 9);
        }
      } else if (k == 2) {
        sb.append("https://")
            .append(lex.content(r))
            .append(".example/")
            .append(lex.content(r))
            .append('/')
            .append(r.nextInt(100_000));
      } else {
        paragraph(1, 7);
      }
      if (!done()) {
        sb.append(sep);
        boundary();
      }
    }
    if (r.nextInt(4) == 0) {
      sb.append("\nCopyright \u00a9 ").append(2010 + r.nextInt(14)).append(' ').append(title(1, 3));
      sb.append(". All rights reserved.");
    }
  }

  private void wikipedia() {
    String title = title(1, 4);
    sb.append(title).append("\n\n").append(title);
    if (r.nextBoolean()) {
      int born = 1700 + r.nextInt(300);
      sb.append(" (").append(born).append('\u2013').append(born + 30 + r.nextInt(60)).append(')');
    }
    sb.append(" is ");
    sentence(6, 20);
    sb.append(' ');
    paragraph(1, 4);
    while (!done()) {
      sb.append("\n\n");
      boundary();
      if (r.nextInt(3) == 0) {
        sb.append(title(1, 3)).append("\n\n");
      }
      paragraph(2, 7);
    }
  }

  private void book() {
    sb.append(title(1, 5).toUpperCase(java.util.Locale.ROOT)).append("\n\n");
    sb.append("by ").append(name()).append(' ').append(name()).append("\n\n\n");
    int chapter = 0;
    while (!done()) {
      String num = chapter < ROMAN.length ? ROMAN[chapter] : Integer.toString(chapter + 1);
      chapter++;
      sb.append("CHAPTER ").append(num).append(".\n\n");
      if (r.nextBoolean()) {
        sb.append(title(1, 4)).append("\n\n");
      }
      int chapterEnd = sb.length() + 8_000 + r.nextInt(24_000);
      while (!done() && sb.length() < chapterEnd) {
        if (r.nextInt(4) == 0) {
          boolean curly = r.nextInt(3) == 0;
          sb.append(curly ? '\u201c' : '"');
          sentence(3, 14);
          sb.append(curly ? '\u201d' : '"').append(" said ").append(name()).append('.');
        } else {
          paragraph(2, 9);
        }
        sb.append("\n\n");
        boundary();
      }
      if (!done()) {
        sb.append('\n');
      }
    }
  }

  // ---------------------------------------------------------------- arXiv

  private void math(int terms) {
    for (int i = 0; i < terms; i++) {
      if (i > 0) {
        sb.append(r.nextBoolean() ? " + " : " - ");
      }
      switch (r.nextInt(6)) {
        case 0 -> sb.append("\\frac{").append(sym()).append("}{").append(sym()).append('}');
        case 1 -> sb.append("\\sum_{i=1}^{n} ").append(sym()).append("_i");
        case 2 -> sb.append(sym()).append("^{").append(2 + r.nextInt(3)).append('}');
        case 3 -> sb.append("\\int_0^\\infty ").append(sym()).append("(t)\\,dt");
        case 4 -> sb.append(1 + r.nextInt(99)).append(sym());
        default -> sb.append(sym()).append("_{").append(sym()).append('}');
      }
    }
  }

  private String sym() {
    return r.nextBoolean()
        ? GREEK[r.nextInt(GREEK.length)]
        : String.valueOf((char) ('a' + r.nextInt(26)));
  }

  private void arxiv() {
    int eq = 0;
    int sec = 0;
    while (!done()) {
      sb.append(sec == 0 ? "\\section{Introduction}" : "\\section{" + title(1, 4) + "}");
      sb.append("\\label{sec:").append(lex.content(r)).append("}\n\n");
      sec++;
      int blocks = 3 + r.nextInt(10);
      for (int b = 0; b < blocks && !done(); b++) {
        int k = r.nextInt(10);
        if (k < 6) {
          int n = 2 + r.nextInt(6);
          for (int i = 0; i < n && !done(); i++) {
            sentence(6, 24);
            int m = r.nextInt(6);
            if (m == 0) {
              sb.setLength(sb.length() - 1);
              sb.append(" $");
              math(1 + r.nextInt(2));
              sb.append("$.");
            } else if (m == 1) {
              sb.setLength(sb.length() - 1);
              sb.append(" \\cite{")
                  .append(lex.content(r))
                  .append(1990 + r.nextInt(34))
                  .append("}.");
            } else if (m == 2 && eq > 0) {
              sb.setLength(sb.length() - 1);
              sb.append(" (see Eq.~\\eqref{eq:").append(1 + r.nextInt(eq)).append("}).");
            }
            sb.append(' ');
          }
          sb.setLength(sb.length() - 1);
        } else if (k < 8) {
          eq++;
          sb.append("\\begin{equation}\\label{eq:").append(eq).append("}\n");
          math(2 + r.nextInt(4));
          sb.append(" = ");
          math(1 + r.nextInt(3));
          sb.append("\n\\end{equation}");
        } else if (k < 9) {
          sb.append("\\begin{itemize}\n");
          int n = 2 + r.nextInt(4);
          for (int i = 0; i < n; i++) {
            sb.append("\\item ");
            sentence(4, 16);
            sb.append('\n');
          }
          sb.append("\\end{itemize}");
        } else {
          sb.append("\\subsection{").append(title(1, 3)).append('}');
        }
        sb.append("\n\n");
        boundary();
      }
    }
  }

  // ---------------------------------------------------------------- code

  private String ident(boolean snake) {
    String a = lex.content(r);
    if (r.nextInt(3) == 0) {
      return a;
    }
    String b = lex.content(r);
    return snake ? a + "_" + b : a + cap(b);
  }

  private void indent(int depth, String unit) {
    for (int i = 0; i < depth; i++) {
      sb.append(unit);
    }
  }

  private String expr(boolean snake) {
    return switch (r.nextInt(5)) {
      case 0 -> Integer.toString(r.nextInt(1000));
      case 1 -> ident(snake) + " + " + r.nextInt(64);
      case 2 -> ident(snake) + "(" + ident(snake) + ")";
      case 3 -> "\"" + lex.zipf(r) + " " + lex.zipf(r) + "\"";
      default -> ident(snake);
    };
  }

  private void github() {
    int lang = r.nextInt(3); // 0: C-like with tabs, 1: Java-like, 2: Python-like
    boolean py = lang == 2;
    String unit = lang == 0 ? "\t" : py ? "    " : (r.nextBoolean() ? "  " : "    ");
    String c = py ? "# " : "// ";
    sb.append(py ? "# " : lang == 0 ? "/* " : "/** ");
    sentence(4, 14);
    sb.append(py ? "\n" : " */\n");
    int imports = r.nextInt(6);
    for (int i = 0; i < imports; i++) {
      sb.append(
              switch (lang) {
                case 0 -> "#include <" + lex.content(r) + ".h>";
                case 1 ->
                    "import "
                        + lex.content(r)
                        + "."
                        + lex.content(r)
                        + "."
                        + cap(ident(false))
                        + ";";
                default -> "import " + ident(true);
              })
          .append('\n');
    }
    sb.append('\n');
    int base = 0;
    if (lang == 1) {
      sb.append("public class ").append(cap(ident(false))).append(" {\n\n");
      base = 1;
    }
    while (!done()) {
      if (r.nextInt(3) == 0) {
        indent(base, unit);
        sb.append(c);
        sentence(4, 16);
        sb.append('\n');
      }
      indent(base, unit);
      String fn = ident(py || lang == 0);
      switch (lang) {
        case 0 ->
            sb.append("static int ")
                .append(fn)
                .append("(const char *")
                .append(ident(true))
                .append(", size_t n)\n{\n");
        case 1 ->
            sb.append("public static int ")
                .append(fn)
                .append("(String ")
                .append(ident(false))
                .append(", int n) {\n");
        default -> sb.append("def ").append(fn).append('(').append(ident(true)).append(", n):\n");
      }
      block(lang, unit, base + 1, 0);
      indent(base + 1, unit);
      sb.append("return ").append(expr(py || lang == 0)).append(py ? "\n" : ";\n");
      if (!py) {
        indent(base, unit);
        sb.append("}\n");
      }
      if (r.nextInt(20) == 0) {
        sb.append('\u000c');
      }
      sb.append('\n');
      boundary();
    }
    if (lang == 1) {
      sb.append("}\n");
    }
  }

  private void block(int lang, String unit, int depth, int nesting) {
    boolean py = lang == 2;
    boolean snake = lang != 1;
    int n = 1 + r.nextInt(6);
    for (int i = 0; i < n && !done(); i++) {
      indent(depth, unit);
      int k = r.nextInt(10);
      if (k < 2 && nesting < 3) {
        String cond = ident(snake) + (r.nextBoolean() ? " > " : " == ") + r.nextInt(100);
        sb.append(py ? "if " + cond + ":\n" : "if (" + cond + ") {\n");
        block(lang, unit, depth + 1, nesting + 1);
        if (!py) {
          indent(depth, unit);
          sb.append("}\n");
        }
      } else if (k < 3 && nesting < 3) {
        String v = ident(snake);
        sb.append(
            py
                ? "for " + v + " in range(n):\n"
                : "for (int " + v + " = 0; " + v + " < n; " + v + "++) {\n");
        block(lang, unit, depth + 1, nesting + 1);
        if (!py) {
          indent(depth, unit);
          sb.append("}\n");
        }
      } else if (k < 4) {
        sb.append(py ? "# " : "// ");
        sentence(3, 12);
        sb.append('\n');
      } else {
        String lhs = ident(snake);
        String decl = py ? "" : lang == 0 ? "int " : (r.nextBoolean() ? "var " : "int ");
        sb.append(decl).append(lhs).append(" = ").append(expr(snake)).append(py ? "\n" : ";\n");
      }
    }
  }

  // ---------------------------------------------------------------- StackExchange

  private void stackExchange() {
    sb.append("Q:\n\n");
    int t = r.nextInt(100);
    sentence(4, 14);
    sb.setLength(sb.length() - 1);
    sb.append(t < 70 ? "?" : ".").append("\n\n");
    paragraph(1, 5);
    if (r.nextBoolean()) {
      codeSnippet();
    }
    boolean first = true;
    while (!done()) {
      sb.append(first ? "\n\nA:\n\n" : "\n\nA:\n\n");
      first = false;
      paragraph(1, 6);
      if (r.nextInt(3) == 0 && !done()) {
        codeSnippet();
        paragraph(1, 3);
      }
      boundary();
    }
  }

  private void codeSnippet() {
    sb.append("\n\n");
    int lines = 2 + r.nextInt(8);
    for (int i = 0; i < lines; i++) {
      sb.append("    ");
      if (r.nextInt(3) == 0) {
        sb.append("    ");
      }
      sb.append(ident(false)).append(" = ").append(expr(false)).append(";\n");
    }
    sb.append('\n');
  }
}
