package dev.longmix.jobs.manifest;

import java.util.Map;

/**
 * The manifest body of a tokenize output's {@code _rejects} dataset.
 *
 * @param rejected rows in it
 * @param rejectReasons rows per reason
 * @param schema its columns, for a person reading the folder
 */
public record RejectsManifest(long rejected, Map<String, Long> rejectReasons, String schema) {
  public static final String STAGE = "tokenize-rejects";
}
