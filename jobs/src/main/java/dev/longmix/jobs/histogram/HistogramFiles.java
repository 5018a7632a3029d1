package dev.longmix.jobs.histogram;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longmix.common.config.ConfigException;
import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.jobs.spark.Manifests;
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

  /** Reads the Fig. 2 histogram of {@code dir}; errors name {@code key}. */
  public static Loaded read(Configuration conf, String key, String dir) {
    JsonNode manifest =
        Manifests.read(conf, dir)
            .filter(m -> m.path("complete").asBoolean(false))
            .orElseThrow(
                () ->
                    new ConfigException(
                        key,
                        dir,
                        "has no complete _manifest.json; point it at the output of longmix"
                            + " histogram"));
    Path p = new Path(dir, FILE);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw new ConfigException(key, dir, "has no " + FILE);
      }
      JsonNode root;
      try (InputStream in = fs.open(p)) {
        root = Manifests.JSON.readTree(in);
      }
      LengthHistogram.Snapshot snap =
          Manifests.JSON.treeToValue(root.get("fig2"), LengthHistogram.Snapshot.class);
      return new Loaded(
          dir,
          LengthHistogram.fromSnapshot(snap),
          manifest.path("fingerprint").asText(""),
          root.path("input_fingerprint").asText(""));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }
}
