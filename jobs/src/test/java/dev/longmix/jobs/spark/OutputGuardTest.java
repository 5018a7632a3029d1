package dev.longmix.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OutputGuard.begin on the local filesystem (the S3 case: S3OutputGuardFaultTest). */
class OutputGuardTest {
  @TempDir Path tmp;

  @Test
  void beginEmptiesAnOldOutputAndLeavesOnlyTheMarkerForTheNewFingerprint() throws Exception {
    Configuration conf = new Configuration();
    String dir = tmp.resolve("out").toString();
    OutputGuard.begin(conf, dir, "fp1");
    FileSystem fs = FileSystem.getLocal(conf);
    for (String f :
        List.of("_SUCCESS", "part-0.parquet", "_rejects/part-1.parquet", "_temporary/0/t/x")) {
      try (OutputStream o = fs.create(new org.apache.hadoop.fs.Path(dir, f))) {
        o.write(f.getBytes(StandardCharsets.UTF_8));
      }
    }
    dev.longmix.jobs.TestManifests.write(conf, dir, Map.of("fingerprint", "fp1", "complete", true));
    assertEquals(
        OutputGuard.Decision.SKIP, OutputGuard.decide(conf, "output", dir, "fp1", false, false));

    OutputGuard.begin(conf, dir, "fp2");
    try (Stream<Path> s = Files.walk(tmp.resolve("out"))) {
      List<String> left =
          s.filter(p -> !p.equals(tmp.resolve("out")))
              .map(p -> tmp.resolve("out").relativize(p).toString())
              .sorted()
              .toList();
      assertEquals(List.of("." + OutputGuard.STARTED + ".crc", OutputGuard.STARTED), left);
    }
    assertTrue(
        Files.readString(tmp.resolve("out").resolve(OutputGuard.STARTED)).contains("fp2"),
        "the marker names the new fingerprint");
    assertEquals(
        OutputGuard.Decision.WRITE, OutputGuard.decide(conf, "output", dir, "fp2", false, false));
  }

  @Test
  void beginMakesAMissingDirectory() {
    Configuration conf = new Configuration();
    String dir = tmp.resolve("a/b").toString();
    OutputGuard.begin(conf, dir, "fp");
    assertTrue(Files.exists(tmp.resolve("a/b").resolve(OutputGuard.STARTED)));
  }
}
