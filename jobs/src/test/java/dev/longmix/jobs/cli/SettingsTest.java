package dev.longmix.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repeatable options: every value kept in order, from flags or config-file lines. */
class SettingsTest {
  static final CommandSpec SPEC =
      new CommandSpec(
          "t",
          "a test command",
          "",
          List.of(
              Option.required("input", "PATH|NAME=PATH", "inputs").asRepeatable(),
              Option.optional("seed", "S", "0", "a plain option")));

  @TempDir Path tmp;

  @Test
  void aRepeatableOptionKeepsEveryValueInOrder() {
    Settings s =
        Settings.parse(
            SPEC, "--input", "web=/w", "--input=books=/b", "--seed", "1", "--input", "code=/c");
    assertEquals(List.of("web=/w", "books=/b", "code=/c"), s.values("input"));
    assertEquals("web=/w books=/b code=/c", s.resolved().get("input"));
    assertTrue(s.isSet("input"));
    // A plain option repeated keeps its old meaning: the last one wins.
    assertEquals(List.of("2"), Settings.parse(SPEC, "--seed", "1", "--seed", "2").values("seed"));
    assertEquals(List.of("0"), Settings.parse(SPEC, "--input", "x").values("seed"));
    assertEquals(List.of(), Settings.of(SPEC, Map.of(), Map.of()).values("input"));
    assertEquals(List.of("x"), Settings.of(SPEC, Map.of("input", "x"), Map.of()).values("input"));
    assertTrue(SPEC.help().contains("inputs (repeatable) (required)\n"), SPEC.help());
  }

  @Test
  void aConfigFileRepeatsTheKeyAndFlagsReplaceItsValues() throws IOException {
    Path f = tmp.resolve("c.properties");
    Files.writeString(
        f,
        "input = books=/data/books\ninput = code=s3a://bucket/code\nseed = 4\n",
        StandardCharsets.UTF_8);
    Settings file = Settings.parse(SPEC, "--config", f.toString());
    assertEquals(List.of("books=/data/books", "code=s3a://bucket/code"), file.values("input"));
    assertEquals("4", file.string("seed"));
    Settings flags = Settings.parse(SPEC, "--config", f.toString(), "--input", "web=/w");
    assertEquals(List.of("web=/w"), flags.values("input"));
  }
}
