package dev.longmix.jobs.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longmix.jobs.LocalSpark;
import dev.longmix.jobs.Main;
import dev.longmix.jobs.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/** Shared helpers of the reliability tests: run the CLI in-process, read back what it wrote. */
final class Pipeline {
  static final ObjectMapper JSON = new ObjectMapper();

  private Pipeline() {}

  record Run(int code, String out, String err) {
    String all() {
      return out + err;
    }
  }

  /** Runs the CLI in this JVM with no SparkSession left over, so its own --master applies. */
  static Run cli(List<String> args) {
    stopSessions();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args.toArray(String[]::new), o, e);
    }
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static void stopSessions() {
    if (SparkSession.getActiveSession().isDefined()) {
      SparkSession.getActiveSession().get().stop();
    }
    if (SparkSession.getDefaultSession().isDefined()) {
      SparkSession.getDefaultSession().get().stop();
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  static boolean noSession() {
    return SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty();
  }

  /** `longmix run` arguments over a corpus into root, the plan every reliability test uses. */
  static List<String> runArgs(Path corpus, Path root, String master) {
    return new ArrayList<>(
        List.of(
            "run",
            "--input",
            corpus.toString(),
            "--output",
            root.toString(),
            "--tokenizer",
            TestData.defaultTokenizer().toString(),
            "--master",
            master,
            "--max-reject-fraction",
            "0.5",
            "--strategy",
            "per-source",
            "--budget-fraction",
            "0.5",
            // Half a tiny corpus is beyond the keep rule for C4: take the rest from short ones.
            "--infeasible",
            "fill-short",
            "--seq-len",
            "4096",
            "--seed",
            "7"));
  }

  /** Every row of a Parquet dataset as JSON, sorted: equal lists mean equal data row for row. */
  static List<String> rows(String dir, String... columns) {
    var df = LocalSpark.get().read().parquet(dir);
    if (columns.length > 0) {
      df = df.selectExpr(columns);
    }
    List<String> l = new ArrayList<>(df.toJSON().collectAsList());
    Collections.sort(l);
    return l;
  }

  static JsonNode manifest(Path dir) throws IOException {
    return JSON.readTree(dir.resolve("_manifest.json").toFile());
  }

  /** The data files a reader of the dataset sees (not hidden, not under _ or . folders). */
  static List<String> visibleDataFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .filter(
              p -> {
                for (String part : p.split("/")) {
                  if (part.startsWith("_") || part.startsWith(".")) {
                    return false;
                  }
                }
                return true;
              })
          .sorted()
          .toList();
    }
  }
}
