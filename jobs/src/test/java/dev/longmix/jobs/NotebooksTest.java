package dev.longmix.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** notebooks/*.ipynb, executed top to bottom by tools/run_notebooks.py on a real local run. */
class NotebooksTest {
  @Test
  void notebooksRunOnARealRun() throws Exception {
    Path python =
        PythonTools.require(
            "nbclient", "nbformat", "ipykernel", "pandas", "matplotlib", "torch", "longmix");
    Path out = TestData.buildDir().resolve("notebooks");
    String log =
        PythonTools.run(
            python, "run_notebooks.py", 10, SmallRun.root().toString(), "--out", out.toString());
    assertTrue(log.contains("2 of 2 notebooks ran"), log);
  }
}
