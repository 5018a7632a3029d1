package dev.longmix.jobs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where tests find their data: {@code ../shared} beside the checkout when it exists (CI has it),
 * and the project's own default tokenizer, which the build fetches before tests run.
 */
public final class TestData {
  private TestData() {}

  /** The repository root (tests run with the module folder as working directory). */
  public static Path repoRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("longmix")) ? here : here.getParent();
  }

  /**
   * This build's output folder: {@code jobs/target}, or {@code jobs/target/spark3.5} for the Spark
   * 3.5 build (surefire and failsafe pass it as {@code longmix.build.dir}).
   */
  public static Path buildDir() {
    String d = System.getProperty("longmix.build.dir");
    return d != null ? Path.of(d) : repoRoot().resolve("jobs/target");
  }

  /** The shaded job jar of this build, named for its Spark line ({@code longmix.jar.name}). */
  public static Path jobJar() {
    return buildDir().resolve(System.getProperty("longmix.jar.name", "longmix-jobs.jar"));
  }

  /** The Spark and Hadoop jars this build ran against, as a cluster would provide them. */
  public static Path sparkJars() {
    return buildDir().resolve("spark-jars");
  }

  /** The Scala binary version Spark runs on here: 2.13 (Spark 4.x) or 2.12 (Spark 3.5). */
  public static String scalaBinary() {
    return scala.util.Properties.versionNumberString().replaceAll("^(\\d+\\.\\d+).*", "$1");
  }

  public static Optional<Path> shared() {
    Path p = repoRoot().resolveSibling("shared");
    return Files.isDirectory(p.resolve("corpus")) ? Optional.of(p) : Optional.empty();
  }

  /** Skips the calling test, saying why, when {@code ../shared} is not beside the checkout. */
  public static Path requireShared() {
    Optional<Path> s = shared();
    assumeTrue(
        s.isPresent(),
        "needs ../shared (corpus and tokenizers) beside the checkout; CI provides it");
    return s.get();
  }

  /** A shared tokenizer by folder name: llama2, mistral, llama3 or gpt2. */
  public static Path sharedTokenizer(String name) {
    return requireShared().resolve("tokenizers").resolve(name).resolve("tokenizer.json");
  }

  /** The project's default tokenizer (fetched by scripts/fetch-default-tokenizer.sh). */
  public static Path defaultTokenizer() {
    Path p = repoRoot().resolve(".longmix/tokenizers/mistral/tokenizer.json");
    if (!Files.exists(p)) {
      throw new IllegalStateException(
          p + " is missing: the build fetches it in generate-test-resources; run mvn verify");
    }
    return p;
  }
}
