package dev.longmix.jobs.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.spark.OutputGuard;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Replacing an output on S3 when the endpoint goes away half-way through the delete: S3 deletes a
 * directory object by object (or page by page), in key order, so a cut delete leaves part of the
 * old output. Whatever is left, the same command must still take the directory for its own.
 */
class S3OutputGuardFaultTest {
  static final String BUCKET = "longmix-guard";

  @TempDir Path tmp;

  @Test
  void aReplaceCutShortMidDeleteLeavesADirectoryTheRerunStillTakesForItsOwn() throws Exception {
    try (S3Proxy store = S3Proxy.start(tmp);
        FaultProxy proxy = FaultProxy.start(store.endpoint())) {
      S3Settings direct = new S3Settings(store.endpoint(), S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY);
      direct.createBucket(BUCKET);
      Configuration setup = direct.hadoop();
      Configuration conf =
          new S3Settings(proxy.endpoint(), S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY).hadoop();
      S3FaultsIT.RETRIES.forEach((k, v) -> conf.set(k.substring("spark.hadoop.".length()), v));
      // One DELETE per object, so the proxy sees which object each one removes.
      conf.set("fs.s3a.multiobjectdelete.enable", "false");

      // A complete output, as a stage leaves it.
      String dir = "s3a://" + BUCKET + "/out/tokenized";
      OutputGuard.begin(setup, dir, "fp1");
      FileSystem fs = new org.apache.hadoop.fs.Path(dir).getFileSystem(setup);
      for (String name : List.of("_SUCCESS", "part-00000.parquet", "part-00001.parquet")) {
        try (OutputStream o = fs.create(new org.apache.hadoop.fs.Path(dir, name))) {
          o.write(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      dev.longmix.jobs.TestManifests.write(
          setup, dir, Map.of("fingerprint", "fp1", "complete", true));
      assertEquals(
          OutputGuard.Decision.SKIP, OutputGuard.decide(conf, "output", dir, "fp1", false, false));

      // --force: the stage replaces it, and the endpoint goes away at the first data file's delete.
      assertEquals(
          OutputGuard.Decision.WRITE, OutputGuard.decide(conf, "output", dir, "fp1", true, false));
      proxy.stopWhen(
          r ->
              r.method().equals("DELETE")
                  && r.path().startsWith("/" + BUCKET + "/out/tokenized/part-"));
      assertThrows(UncheckedIOException.class, () -> OutputGuard.begin(conf, dir, "fp1"));
      assertNotNull(proxy.stoppedAt(), "the endpoint went away mid-delete");
      proxy.restore();
      List<String> left = keys(direct, "out/tokenized/");
      assertTrue(left.contains("out/tokenized/part-00000.parquet"), "the delete was cut: " + left);
      assertFalse(
          left.contains("out/tokenized/" + Manifests.FILE), "not complete any more: " + left);

      // The same command again (with or without --force) replaces it, without --overwrite.
      for (boolean force : new boolean[] {true, false}) {
        assertEquals(
            OutputGuard.Decision.WRITE,
            OutputGuard.decide(conf, "output", dir, "fp1", force, false),
            "left after the cut delete: " + left);
      }
      OutputGuard.begin(conf, dir, "fp1");
      assertEquals(
          List.of("out/tokenized/" + OutputGuard.STARTED),
          keys(direct, "out/tokenized/").stream().filter(k -> !k.endsWith("/")).toList(),
          "only the marker is left once the replace went through");
    }
  }

  static List<String> keys(S3Settings s3, String prefix) {
    try (S3Client c =
        S3Client.builder()
            .endpointOverride(URI.create(s3.endpoint()))
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
            .build()) {
      return c.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
          .map(S3Object::key)
          .sorted()
          .toList();
    }
  }
}
