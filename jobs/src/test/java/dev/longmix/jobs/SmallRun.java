package dev.longmix.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.longmix.demo.SampleCorpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One real {@code longmix run} per test JVM (the generated TINY corpus, the default tokenizer,
 * per-source, 16,384-token rows, local[2]) for the tests of what reads its output: the report page,
 * the trainer contract, the notebooks. It lives under {@code jobs/target/small-run} (per build) so
 * a failing check can be looked at.
 */
public final class SmallRun {
  public static final int SEQ_LEN = 16_384;
  private static Path root;

  private SmallRun() {}

  /** The run's ROOT (tokenized, histogram, packed), made on first use in this JVM. */
  public static synchronized Path root() {
    if (root != null) {
      return root;
    }
    Path r = TestData.buildDir().resolve("small-run").toAbsolutePath();
    try {
      if (Files.exists(r)) {
        try (Stream<Path> s = Files.walk(r)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      SampleCorpus.write(r.resolve("corpus"), 11L, SampleCorpus.Scale.TINY);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code =
        Main.run(
            new String[] {
              "run",
              "--input",
              r.resolve("corpus").toString(),
              "--tokenizer",
              tokenizer().toString(),
              "--output",
              r.toString(),
              "--strategy",
              "per-source",
              "--budget-fraction",
              "0.5",
              // The tiny corpus's C4 holds too few long tokens for half of it: fill from short.
              "--infeasible",
              "fill-short",
              "--seq-len",
              Integer.toString(SEQ_LEN),
              "--master",
              "local[2]",
              "--progress-interval",
              "0"
            },
            out,
            out);
    assertEquals(0, code, buf.toString(StandardCharsets.UTF_8));
    root = r;
    return r;
  }

  /** The tokenizer the run used. */
  public static Path tokenizer() {
    return TestData.defaultTokenizer();
  }
}
