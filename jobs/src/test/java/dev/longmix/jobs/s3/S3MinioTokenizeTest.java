package dev.longmix.jobs.s3;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;

/**
 * The same check against MinIO in a container; skipped, saying why, where no Docker engine is
 * reachable (S3ProxyTokenizeTest covers S3 there).
 */
class S3MinioTokenizeTest {
  @TempDir Path tmp;

  @Test
  void tokenizeOnMinioMatchesLocalRun() throws Exception {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      docker = false;
    }
    assumeTrue(
        docker,
        "no Docker engine reachable: MinIO test skipped (S3ProxyTokenizeTest covers s3a without"
            + " Docker)");
    try (MinIOContainer minio =
        new MinIOContainer("minio/minio:RELEASE.2024-12-18T13-15-44Z")
            .withUserName("longmix-minio-user")
            .withPassword("longmix-minio-secret-91c2")) {
      minio.start();
      S3TokenizeCheck.Compared c =
          S3TokenizeCheck.run(
              new S3Settings(minio.getS3URL(), minio.getUserName(), minio.getPassword()),
              "longmix-test",
              tmp);
      // Equal outputs prove nothing if both are empty.
      assertTrue(c.documents() > 0 && c.packedRows() > 0, c.toString());
    }
  }
}
