package dev.longmix.jobs.manifest;

import dev.longmix.jobs.spark.Versions;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every stage's {@code _manifest.json} starts with, at its top level: which stage wrote it,
 * whether the output is complete, for which inputs and settings (the fingerprint a rerun compares),
 * when, with which settings and versions. Any manifest can be read as this alone.
 *
 * @param stage the stage that wrote the output ({@code tokenize}, {@code histogram}, {@code pack},
 *     ...)
 * @param complete whether the output may be used (a tokenize run over the reject limit is not)
 * @param fingerprint f(inputs, settings): equal fingerprints mean the same output
 * @param created when the manifest was written (ISO-8601)
 * @param config the effective settings, secrets masked
 * @param versions the versions of longmix, Spark, Java and the libraries that made it
 */
public record ManifestHeader(
    String stage,
    boolean complete,
    String fingerprint,
    String created,
    Map<String, String> config,
    Map<String, String> versions) {

  public ManifestHeader {
    config = config == null ? Map.of() : new TreeMap<>(config);
    versions = versions == null ? Map.of() : new TreeMap<>(versions);
  }

  /** A header written now, with this JVM's versions. */
  public static ManifestHeader now(
      String stage, boolean complete, String fingerprint, Map<String, String> config) {
    return new ManifestHeader(
        stage, complete, fingerprint, Instant.now().toString(), config, Versions.all());
  }
}
