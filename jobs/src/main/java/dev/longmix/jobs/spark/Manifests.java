package dev.longmix.jobs.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads and writes the {@code _manifest.json} beside every dataset. The manifest is written last,
 * so its presence is what marks a dataset complete; its {@code fingerprint} says for which inputs
 * and config, which is how a rerun knows it can skip the work.
 */
public final class Manifests {
  public static final String FILE = "_manifest.json";
  public static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Manifests() {}

  public static Optional<JsonNode> read(Configuration conf, String dir) {
    try {
      Path p = new Path(dir, FILE);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(p)) {
        return Optional.of(JSON.readTree(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir + "/" + FILE, e);
    }
  }

  public static void write(Configuration conf, String dir, Object manifest) {
    writeFile(conf, new Path(dir, FILE), manifest);
  }

  /** Writes any JSON-able value to a file on any Hadoop filesystem. */
  public static void writeFile(Configuration conf, Path p, Object value) {
    try {
      FileSystem fs = p.getFileSystem(conf);
      byte[] bytes = JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
      try (OutputStream out = fs.create(p, true)) {
        out.write(bytes);
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p, e);
    }
  }

  public static void writeText(Configuration conf, Path p, String text) {
    try {
      FileSystem fs = p.getFileSystem(conf);
      try (OutputStream out = fs.create(p, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p, e);
    }
  }
}
