package dev.longmix.jobs.spark;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A hash of everything that determines a stage's output (inputs, settings, upstream fingerprints),
 * so a rerun can tell a complete output for the same work from one made differently.
 */
public final class Fingerprint {
  private final MessageDigest digest;

  public Fingerprint(String stage) {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    add("stage", stage);
  }

  public Fingerprint add(String key, String value) {
    digest.update(key.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    digest.update(value.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 1);
    return this;
  }

  public String value() {
    return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
  }
}
