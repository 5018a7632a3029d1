package dev.longmix.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longmix.jobs.manifest.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A manifest as JSON, the way another tool reads it: for tests that check the file itself (its
 * field names, or what a corrupted or foreign one does), not through the stage's types.
 */
public final class TestManifests {
  private TestManifests() {}

  /** {@code dir/_manifest.json} as JSON; empty when there is none. */
  public static Optional<JsonNode> json(Configuration conf, String dir) {
    try {
      Path p = new Path(dir, Manifests.FILE);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(p)) {
        return Optional.of(Manifests.JSON.readTree(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code value} as {@code dir/_manifest.json}, whatever its shape. */
  public static void write(Configuration conf, String dir, Object value) {
    Manifests.writeFile(conf, new Path(dir, Manifests.FILE), value);
  }
}
