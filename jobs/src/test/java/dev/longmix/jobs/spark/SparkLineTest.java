package dev.longmix.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which line a jar may run on, by example; and the build's own record of its line. */
class SparkLineTest {
  @ParameterizedTest(name = "built {0}/{1} on {2}/{3}: runs {4}")
  @CsvSource({
    "4.0, 2.13, 4.0.1, 2.13, true",
    "4.0, 2.13, 4.2.0, 2.13, true",
    "4.2, 2.13, 4.0.1, 2.13, false",
    "3.5, 2.12, 3.5.9, 2.12, true",
    "3.5, 2.12, 3.5.1-amzn-0, 2.12, true",
    "3.5, 2.12, 4.0.1, 2.13, false",
    "4.0, 2.13, 3.5.9, 2.12, false",
    "3.5, 2.12, 3.5.9, 2.13, false",
    "3.5, 2.12, 3.4.1, 2.12, false",
    "4.0, 2.13, garbage, 2.13, false",
  })
  void aJarRunsOnlyOnItsLine(
      String builtSpark, String builtScala, String runSpark, String runScala, boolean runs) {
    Optional<String> m =
        SparkLine.mismatch(
            new SparkLine(builtSpark, builtScala), new SparkLine(runSpark, runScala));
    assertEquals(runs, m.isEmpty(), m.orElse(""));
    if (!runs) {
      // The message names both lines and the jar for each.
      String s = m.get();
      assertTrue(s.contains("built for Spark " + builtSpark + " / Scala " + builtScala), s);
      assertTrue(s.contains("running on Spark " + runSpark + " / Scala " + runScala), s);
      assertTrue(s.contains("longmix-jobs-spark3.5_2.12.jar"), s);
      assertTrue(s.contains("longmix-jobs-spark4.0_2.13.jar"), s);
    }
  }

  @Test
  void theBuildRecordsTheLineItCompiledAgainst() {
    SparkLine built = SparkLine.built();
    SparkLine running = SparkLine.running();
    // Tests run on the Spark the build compiled against, so the recorded line is its prefix.
    assertTrue(running.spark().startsWith(built.spark() + "."), built + " vs " + running);
    assertEquals(running.scalaBinary(), built.scalaBinary());
    assertEquals(Optional.empty(), SparkLine.mismatch(built, running));
    assertEquals(
        System.getProperty("longmix.jar.name"),
        SparkLine.jarName(built.spark(), built.scalaBinary()));
  }
}
