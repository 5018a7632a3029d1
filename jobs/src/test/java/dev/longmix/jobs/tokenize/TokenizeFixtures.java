package dev.longmix.jobs.tokenize;

import com.github.luben.zstd.ZstdOutputStream;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Writes corpus files line by line, remembering what each line should become. */
public final class TokenizeFixtures {
  private TokenizeFixtures() {}

  /** One input line: its raw bytes and either the document text or the expected reject reason. */
  record Line(byte[] bytes, String text, String reason) {
    static Line doc(String text, String domain) {
      return new Line(json(text, domain).getBytes(StandardCharsets.UTF_8), text, null);
    }

    static Line bad(String raw, String reason) {
      return new Line(raw.getBytes(StandardCharsets.UTF_8), null, reason);
    }

    static Line bad(byte[] raw, String reason) {
      return new Line(raw, null, reason);
    }
  }

  static String json(String text, String domain) {
    return "{\"text\": "
        + quote(text)
        + ", \"meta\": {\"redpajama_set_name\": "
        + quote(domain)
        + "}}";
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /**
   * Writes lines with the given ending; {@code bom} prefixes a UTF-8 BOM; no newline at the end.
   */
  static byte[] bytes(List<Line> lines, String ending, boolean bom) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (bom) {
      out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    }
    for (int i = 0; i < lines.size(); i++) {
      out.writeBytes(lines.get(i).bytes());
      if (i + 1 < lines.size()) {
        out.writeBytes(ending.getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toByteArray();
  }

  static void write(Path file, byte[] data) throws IOException {
    Files.createDirectories(file.getParent());
    String n = file.getFileName().toString();
    try (OutputStream raw = Files.newOutputStream(file);
        OutputStream out =
            n.endsWith(".zst")
                ? new ZstdOutputStream(raw)
                : n.endsWith(".gz") ? new GZIPOutputStream(raw) : raw) {
      out.write(data);
    }
  }

  /** What {@code Main.run} returned and printed. */
  public record Run(int code, String out, String err, long millis) {}

  /** Runs the CLI with no SparkSession left over, so its own --master takes effect. */
  public static Run cli(String... args) {
    stopSessions();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long t0 = System.nanoTime();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, o, e);
    }
    return new Run(
        code,
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8),
        (System.nanoTime() - t0) / 1_000_000);
  }

  public static void stopSessions() {
    if (SparkSession.getActiveSession().isDefined()) {
      SparkSession.getActiveSession().get().stop();
    }
    if (SparkSession.getDefaultSession().isDefined()) {
      SparkSession.getDefaultSession().get().stop();
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  /** A tokenized or rejects dataset, keyed by "source:line". */
  static Map<String, Row> read(String dir) {
    Map<String, Row> m = new LinkedHashMap<>();
    for (Row r : LocalSpark.get().read().parquet(dir).collectAsList()) {
      String key = r.getString(r.fieldIndex("source")) + ":" + r.getLong(r.fieldIndex("line"));
      if (m.put(key, r) != null) {
        throw new AssertionError("two rows for " + key + " in " + dir);
      }
    }
    return m;
  }

  static int[] ids(Row r) {
    List<Integer> l = r.getList(r.fieldIndex("input_ids"));
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }

  static List<Path> listing(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      return new ArrayList<>(s.sorted().toList());
    }
  }
}
