package dev.longmix.jobs.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longmix.common.config.ConfigException;
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
 * Reads and writes {@code _manifest.json}: a {@link ManifestHeader} and a stage's own typed body,
 * side by side at the JSON object's top level (the layout readers such as the Python loader rely
 * on). Written last, so its presence is what marks a dataset complete; its fingerprint says for
 * which inputs and settings, which is how a rerun knows it can skip the work.
 *
 * <p>Field names are the records' component names in snake case; absent (null) fields are left out;
 * unknown fields are ignored on reading, so a manifest from a newer longmix still reads.
 */
public final class Manifests {
  public static final String FILE = "_manifest.json";

  /** The mapper of every JSON file longmix writes for people and other tools. */
  public static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private Manifests() {}

  /** A manifest as read back: its header and its stage's body. */
  public record Manifest<B>(ManifestHeader header, B body) {}

  /** Writes {@code header} and {@code body} as {@code dir/_manifest.json}. */
  public static void write(Configuration conf, String dir, ManifestHeader header, Object body) {
    ObjectNode node = JSON.valueToTree(header);
    JsonNode b = JSON.valueToTree(body);
    b.fieldNames()
        .forEachRemaining(
            name -> {
              if (node.has(name)) {
                throw new IllegalArgumentException(
                    body.getClass().getSimpleName() + " repeats the header's field " + name);
              }
            });
    node.setAll((ObjectNode) b);
    writeFile(conf, new Path(dir, FILE), node);
  }

  /** The header of {@code dir}'s manifest, whatever stage wrote it; empty when there is none. */
  public static Optional<ManifestHeader> header(Configuration conf, String dir) {
    return tree(conf, dir).map(n -> convert(n, ManifestHeader.class, dir));
  }

  /** {@code dir}'s manifest with its body read as {@code type}; empty when there is none. */
  public static <B> Optional<Manifest<B>> read(Configuration conf, String dir, Class<B> type) {
    return tree(conf, dir)
        .map(n -> new Manifest<>(convert(n, ManifestHeader.class, dir), convert(n, type, dir)));
  }

  /**
   * The manifest of {@code dir}, which must be the complete output of {@code stage}; otherwise a
   * config error naming {@code key}, for a stage's input checked before Spark starts.
   */
  public static <B> Manifest<B> complete(
      Configuration conf, String key, String dir, String stage, Class<B> type) {
    Optional<JsonNode> tree = tree(conf, dir);
    ManifestHeader h =
        tree.map(n -> convert(n, ManifestHeader.class, dir))
            .filter(ManifestHeader::complete)
            .orElseThrow(
                () ->
                    new ConfigException(
                        key,
                        dir,
                        "has no complete "
                            + FILE
                            + "; point it at the output of longmix "
                            + stage));
    // The stage first: another stage's manifest does not read as this one's body.
    if (h.stage() != null && !h.stage().equals(stage)) {
      throw new ConfigException(
          key, dir, "is the output of longmix " + h.stage() + ", not of " + stage);
    }
    return new Manifest<>(h, convert(tree.get(), type, dir));
  }

  private static <T> T convert(JsonNode n, Class<T> type, String dir) {
    try {
      return JSON.treeToValue(n, type);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + dir + "/" + FILE + " as " + type.getSimpleName(), e);
    }
  }

  private static Optional<JsonNode> tree(Configuration conf, String dir) {
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

  /** Writes any JSON-able value to a file on any Hadoop filesystem. */
  public static void writeFile(Configuration conf, Path p, Object value) {
    try {
      writeText(conf, p, JSON.writeValueAsString(value) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p, e);
    }
  }

  /** Writes {@code text} as UTF-8 to a file on any Hadoop filesystem, replacing it. */
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
