package dev.longmix.jobs.s3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tokenize from and to s3a:// against s3proxy (no Docker needed). */
class S3ProxyTokenizeTest {
  @TempDir Path tmp;

  @Test
  void tokenizeOnS3MatchesLocalRun() throws Exception {
    try (S3Proxy proxy = S3Proxy.start(tmp)) {
      S3TokenizeCheck.Compared c =
          S3TokenizeCheck.run(
              new S3Settings(proxy.endpoint(), S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY),
              "longmix-test",
              tmp);
      // Equal outputs prove nothing if both are empty.
      assertTrue(c.documents() > 0 && c.packedRows() > 0, c.toString());
    }
  }
}
