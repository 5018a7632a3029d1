package dev.longmix.jobs.s3;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.longmix.jobs.TestData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real S3 endpoint without Docker: s3proxy 4.x with its in-memory (transient) blobstore, on
 * 127.0.0.1 and a free port, in a child JVM started from its self-contained jar (the build copies
 * it to target/s3proxy; in-process it would clash with hadoop-aws's AWS SDK bundle and Spark's
 * Jackson). Authenticates requests with AWS v2/v4 signatures against a fixed test key pair.
 */
public final class S3Proxy implements AutoCloseable {
  public static final String ACCESS_KEY = "longmix-test-access-key";
  public static final String SECRET_KEY = "longmix-test-secret-7f3a9c";

  private final Process process;
  private final String endpoint;
  private final Path log;

  private S3Proxy(Process process, String endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
  }

  public static Path jar() {
    return TestData.buildDir().resolve("s3proxy/s3proxy.jar");
  }

  public static S3Proxy start(Path workDir) throws IOException, InterruptedException {
    Path jar = jar();
    assumeTrue(
        Files.exists(jar), jar + " is missing: mvn generate-test-resources copies it (skipped)");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    Path props = workDir.resolve("s3proxy.properties");
    Files.writeString(
        props,
        String.join(
            "\n",
            "s3proxy.endpoint=" + endpoint,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=transient",
            "jclouds.identity=unused",
            "jclouds.credential=unused",
            ""),
        StandardCharsets.UTF_8);
    Path log = workDir.resolve("s3proxy.log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xmx512m",
                "-jar",
                jar.toString(),
                "--properties",
                props.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(
            "s3proxy exited with " + p.exitValue() + ":\n" + Files.readString(log));
      }
      try (Socket sock = new Socket()) {
        sock.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new S3Proxy(p, endpoint, log);
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("s3proxy did not listen within 60s:\n" + Files.readString(log));
  }

  public String endpoint() {
    return endpoint;
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
