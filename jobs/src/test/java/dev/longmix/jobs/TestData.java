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
