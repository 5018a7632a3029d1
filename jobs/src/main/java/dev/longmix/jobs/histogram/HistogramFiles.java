package dev.longmix.jobs.histogram;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.longmix.common.config.ConfigException;
import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.jobs.manifest.HistogramManifest;
import dev.longmix.jobs.manifest.ManifestHeader;
import dev.longmix.jobs.manifest.Manifests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** {@code histogram.json}: written by the histogram stage, read by plan and pack. */
public final class HistogramFiles {
  public static final String FILE = "histogram.json";

  /**
   * The file's own mapper: field names exactly as the snapshot records spell them (the format since
   * the first release, which the notebooks read), and a snapshot missing one of its fields is an
   * error rather than zeros.
   */
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);

  private HistogramFiles() {}

  /** A histogram directory as the later stages see it. */
  public record Loaded(
      String dir, LengthHistogram fig2, String fingerprint, String inputFingerprint) {}

  /** The JSON document: both snapshots plus per-domain totals a person can read. */
  public static Map<String, Object> document(
      LengthHistogram fig2, LengthHistogram log, String inputFingerprint) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input_fingerprint", inputFingerprint);
    m.put("long_threshold", fig2.longThreshold());
    m.put("documents", fig2.documents());
    m.put("tokens", fig2.tokens());
    m.put("long_tokens", fig2.longTokens());
    m.put("long_share", fig2.longShare());
    Map<String, Object> domains = new LinkedHashMap<>();
    for (String d : fig2.domains()) {
      Map<String, Object> dm = new LinkedHashMap<>();
      dm.put("documents", fig2.documents(d));
      dm.put("tokens", fig2.tokens(d));
      dm.put("token_share", fig2.tokenShare(d));
      dm.put("long_documents", fig2.longDocuments(d));
      dm.put("long_tokens", fig2.longTokens(d));
      dm.put("long_share", fig2.longShare(d));
      domains.put(d, dm);
    }
    m.put("domains", domains);
    Map<String, Object> binShares = new LinkedHashMap<>();
    for (int b = 0; b < fig2.bins().count(); b++) {
      binShares.put(fig2.bins().label(b), fig2.binTokenShare(b));
    }
    m.put("fig2_token_shares", binShares);
    m.put("fig2", fig2.snapshot());
    m.put("log", log.snapshot());
    return m;
  }

  /** Writes the document of {@link #document} as {@code dir/histogram.json}. */
  public static void write(Configuration conf, String dir, Map<String, Object> document) {
    try {
      Manifests.writeText(conf, new Path(dir, FILE), JSON.writeValueAsString(document) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir + "/" + FILE, e);
    }
  }

  /** Reads the Fig. 2 histogram of {@code dir}; errors name {@code key}. */
  public static Loaded read(Configuration conf, String key, String dir) {
    ManifestHeader manifest =
        Manifests.complete(conf, key, dir, HistogramManifest.STAGE, HistogramManifest.class)
            .header();
    Path p = new Path(dir, FILE);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw new ConfigException(key, dir, "has no " + FILE);
      }
      JsonNode root;
      try (InputStream in = fs.open(p)) {
        root = JSON.readTree(in);
      }
      LengthHistogram.Snapshot snap =
          JSON.treeToValue(root.get("fig2"), LengthHistogram.Snapshot.class);
      return new Loaded(
          dir,
          LengthHistogram.fromSnapshot(snap),
          manifest.fingerprint(),
          root.path("input_fingerprint").asText(""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }
}
