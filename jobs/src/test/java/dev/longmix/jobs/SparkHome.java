package dev.longmix.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A SPARK_HOME made of this build's Spark jars and the shaded job jar, for the processes Spark's
 * own launcher code starts (a standalone worker's executors, local-cluster's workers): they run
 * {@code java -cp SPARK_HOME/jars/*}.
 */
public final class SparkHome {
  private SparkHome() {}

  public static Path build() throws IOException {
    Path home = TestData.buildDir().resolve("spark-home");
    Path jars = home.resolve("jars");
    Files.createDirectories(jars);
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> s = Files.list(TestData.sparkJars())) {
      s.filter(p -> p.toString().endsWith(".jar")).forEach(sources::add);
    }
    sources.add(TestData.jobJar());
    // Spark's launcher takes jars/ only from a release layout (a RELEASE file); otherwise it looks
    // for a source build's assembly/target/scala-2.1x/jars.
    Files.writeString(home.resolve("RELEASE"), "Spark jars of the longmix build, for tests\n");
    for (Path src : sources) {
      Path link = jars.resolve(src.getFileName());
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, src.toAbsolutePath());
    }
    return home;
  }
}
