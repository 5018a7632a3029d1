package dev.longmix.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the project's Python tools with the pinned environment of scripts/python-env.sh. */
public final class PythonTools {
  private PythonTools() {}

  /** The venv's python, skipping the calling test (saying why) when it lacks {@code modules}. */
  public static Path require(String... modules) throws IOException, InterruptedException {
    Path python = TestData.repoRoot().resolve(".venv/bin/python");
    String why = "needs .venv with " + String.join(", ", modules) + ": bash scripts/python-env.sh";
    assumeTrue(Files.isExecutable(python), why);
    Process p =
        new ProcessBuilder(python.toString(), "-c", "import " + String.join(", ", modules))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assumeTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0, why + "\n" + out);
    return python;
  }

  /** Runs {@code python tools/SCRIPT args}, failing with its output unless it exits 0. */
  public static String run(Path python, String script, int minutes, String... args)
      throws IOException, InterruptedException {
    Outcome o = exec(python, minutes, "tools/" + script, args);
    assertEquals(0, o.exit(), o.output());
    return o.output();
  }

  /** What a Python process printed (stdout and stderr) and its exit status. */
  public record Outcome(int exit, String output) {}

  /** Runs {@code python first args} in the repository root; {@code first} is a script or "-c". */
  public static Outcome exec(Path python, int minutes, String first, String... args)
      throws IOException, InterruptedException {
    return exec(Map.of(), python, minutes, first, args);
  }

  /** As {@link #exec(Path, int, String, String...)}, with {@code env} added to the environment. */
  public static Outcome exec(
      Map<String, String> env, Path python, int minutes, String first, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(python.toString(), first));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile("longmix-python", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(TestData.repoRoot().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("timed out: " + cmd + "\n" + Files.readString(log));
    }
    String out = Files.readString(log);
    Files.delete(log);
    return new Outcome(p.exitValue(), String.join(" ", cmd) + "\n" + out);
  }
}
