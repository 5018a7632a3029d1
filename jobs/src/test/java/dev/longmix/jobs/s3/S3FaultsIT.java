package dev.longmix.jobs.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longmix.demo.SampleCorpus;
import dev.longmix.jobs.ExitCode;
import dev.longmix.jobs.TestData;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.spark.Sessions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 faults: {@code longmix run} in this JVM, every stage reading and writing {@code s3a://} on
 * s3proxy through a {@link FaultProxy}, compared with the same command run with no faults.
 *
 * <p>(1) The first attempt of every write fails (503 SlowDown, 500, a dropped connection, an upload
 * cut off mid-body): the run succeeds on S3A's retries and its outputs equal the clean run's row
 * for row. (2) The endpoint goes away mid-upload in tokenize, then mid-commit of tokenize's job,
 * then in pack after its tasks uploaded but before its job committed: each run fails within bounded
 * time naming the endpoint; the stage's output holds no {@code _manifest.json} and no {@code
 * _SUCCESS}, no data file except those a cut job commit completed, and the next stage refuses it;
 * once the endpoint is back the same command finishes the job, equal to the clean run, with no
 * pending upload left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class S3FaultsIT {
  static final String BUCKET = "longmix-faults";

  /**
   * Retry settings below hadoop-aws 3.4.1's defaults (SDK attempts 5, retry limit 7, 500 ms), so
   * that an endpoint that stays away fails the run in seconds: one failure per request is still
   * retried, and surviving it with fewer retries means surviving it with the defaults.
   */
  static final Map<String, String> RETRIES =
      Map.of(
          "spark.hadoop.fs.s3a.attempts.maximum", "1",
          "spark.hadoop.fs.s3a.retry.limit", "3",
          "spark.hadoop.fs.s3a.retry.interval", "100ms",
          "spark.hadoop.fs.s3a.retry.throttle.limit", "3",
          "spark.hadoop.fs.s3a.retry.throttle.interval", "100ms",
          // Milliseconds without a unit: Hadoop 3.3 (the Spark 3.5 line) reads these as ints,
          // 3.4 as durations whose default unit is the millisecond.
          "spark.hadoop.fs.s3a.connection.establish.timeout", "15000",
          "spark.hadoop.fs.s3a.connection.timeout", "15000",
          // The job commit completes one upload at a time, so where it is cut is deterministic.
          "spark.hadoop.fs.s3a.committer.threads", "1");

  /** Stages whose outputs are compared with the clean run's, row for row. */
  static final List<String> DATASETS =
      List.of("tokenized", "tokenized/_rejects", "histogram/rows", "packed");

  Path tmp;
  S3Proxy store;
  FaultProxy proxy;
  S3Settings direct;
  S3Settings viaProxy;
  String corpus;
  String clean;

  @BeforeAll
  void start() throws Exception {
    S3TokenizeCheck.stopActiveSpark();
    tmp = Files.createTempDirectory("longmix-s3-faults");
    store = S3Proxy.start(tmp);
    direct = new S3Settings(store.endpoint(), S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY);
    proxy = FaultProxy.start(store.endpoint());
    viaProxy = new S3Settings(proxy.endpoint(), S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY);
    direct.createBucket(BUCKET);
    Path local = tmp.resolve("corpus");
    SampleCorpus.write(local, 7L, SampleCorpus.Scale.TINY);
    corpus = s3("corpus");
    org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(corpus);
    FileSystem fs = remote.getFileSystem(direct.hadoop());
    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), remote);

    // The reference: the same command through the proxy, with no faults.
    clean = s3("clean");
    S3TokenizeCheck.Run r = run(clean);
    assertEquals(0, r.code(), "clean run:\n" + r.out() + r.err());
    assertEquals(0, proxy.injectedTotal());
    assertTrue(proxy.requests() > 0, "the clean run went through the proxy");
  }

  @AfterAll
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (store != null) {
      store.close();
    }
    try (var s = Files.walk(tmp)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  @Order(1)
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void writesThatFailOnceAreRetriedAndTheOutputsEqualACleanRun() throws Exception {
    String root = s3("transient");
    String prefix = "/" + BUCKET + "/transient/";
    proxy.failFirstAttempt(r -> r.isWrite() && r.path().startsWith(prefix), 1);
    S3TokenizeCheck.Run r;
    try {
      r = run(root);
    } finally {
      proxy.restore();
    }
    List<String> events = proxy.events();
    System.out.printf(
        Locale.ROOT,
        "[s3-faults] transient: %d faults injected %s over %d requests%n",
        proxy.injectedTotal(),
        proxy.injectedByKind(),
        proxy.requests());
    assertEquals(0, r.code(), "a run whose writes fail once each:\n" + r.out() + r.err());

    // Not vacuous: every kind of fault was injected, into all three stages' writes, among them
    // the data-part uploads of tokenize and pack.
    for (FaultProxy.Fault f : FaultProxy.Fault.values()) {
      assertTrue(proxy.injected(f) > 0, f + " was injected: " + events);
    }
    for (String stage : List.of("tokenized", "histogram", "packed")) {
      assertTrue(
          events.stream().anyMatch(e -> e.contains(prefix + stage + "/")),
          "faults hit " + stage + ": " + events);
    }
    for (String stage : List.of("tokenized", "packed")) {
      assertTrue(
          events.stream()
              .anyMatch(e -> e.contains(prefix + stage + "/part-") && e.contains("partNumber=")),
          "faults hit " + stage + "'s data part uploads: " + events);
    }
    assertSameOutputs(clean, root);
  }

  @Test
  @Order(2)
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void anEndpointThatStopsMidWriteFailsTheRunAndTheSameCommandFinishesItLater() throws Exception {
    String root = s3("outage");
    String prefix = "/" + BUCKET + "/outage/";

    // 1. Mid-tokenize, while a task uploads a data file: its multipart upload stays open.
    failedRun(
        root,
        r ->
            r.method().equals("PUT")
                && r.path().startsWith(prefix + "tokenized/part-")
                && r.target().contains("partNumber="));
    assertEquals(List.of(), visibleData("outage/tokenized"), "data files a reader would see");
    assertNothingLooksComplete(root, "tokenized");
    assertFalse(uploads("outage/tokenized/").isEmpty(), "the upload cut off is still open");

    // 2. Mid-commit of tokenize's job: the magic committer completes one upload per data file
    // (one at a time here), and the endpoint goes away before the second. S3 has no commit of
    // several objects at once, so the first file is visible; the output still does not look
    // complete.
    AtomicInteger completes = new AtomicInteger();
    failedRun(
        root,
        r ->
            r.method().equals("POST")
                && r.path().startsWith(prefix + "tokenized/part-")
                && r.target().contains("uploadId=")
                && completes.incrementAndGet() == 2);
    assertEquals(
        1, visibleData("outage/tokenized").size(), "the one upload completed before the stop");
    assertNothingLooksComplete(root, "tokenized");

    // 3. Mid-pack, after its task uploaded its data and committed (a .pendingset is being
    // written), before the job committed; tokenize and histogram completed on this run.
    failedRun(
        root,
        r ->
            r.method().equals("PUT")
                && r.path().startsWith(prefix + "packed/")
                && r.path().endsWith(".pendingset"));
    for (String stage : List.of("tokenized", "histogram")) {
      JsonNode m =
          dev.longmix.jobs.TestManifests.json(direct.hadoop(), root + "/" + stage).orElseThrow();
      assertTrue(m.path("complete").asBoolean(), stage + " completed before pack failed");
    }
    assertEquals(List.of(), visibleData("outage/packed"), "data files a reader would see");
    assertNothingLooksComplete(root, "packed");
    List<String> packed = keys("outage/packed/");
    assertTrue(
        packed.stream().anyMatch(k -> k.contains("/__magic") && k.endsWith(".pending")),
        "pack's data was uploaded, pending under __magic: " + packed);

    // 4. The endpoint is back: the same command skips the completed stages and finishes.
    S3TokenizeCheck.Run c = run(root);
    assertEquals(0, c.code(), "the rerun:\n" + c.out() + c.err());
    for (String stage : List.of("tokenize", "histogram")) {
      assertTrue(
          c.out().lines().anyMatch(l -> l.startsWith("[" + stage + "] ") && l.contains("skipped")),
          "the rerun skips " + stage + ":\n" + c.out());
    }
    assertSameOutputs(clean, root);
    List<String> magic = keys("outage/").stream().filter(k -> k.contains("__magic")).toList();
    assertEquals(List.of(), magic, "no pending data left after the rerun");
    assertEquals(List.of(), uploads("outage/"), "no multipart upload left open after the rerun");
  }

  /** Runs the command until the endpoint goes away at {@code trigger}, then brings it back. */
  S3TokenizeCheck.Run failedRun(String root, Predicate<FaultProxy.Request> trigger)
      throws Exception {
    proxy.stopWhen(trigger);
    long t0 = System.nanoTime();
    S3TokenizeCheck.Run r;
    try {
      r = run(root);
    } finally {
      proxy.restore();
    }
    assertNotNull(proxy.stoppedAt(), "the endpoint never went away:\n" + r.out() + r.err());
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "[s3-faults] endpoint stopped at %s; the run exited %d after %.1f s%n",
        proxy.stoppedAt(),
        r.code(),
        seconds);
    assertEquals(ExitCode.FAILED, r.code(), "exit code:\n" + r.out() + r.err());
    // A clear failure: what failed and, when that is a wrapper, the I/O error behind it, both
    // before the stack trace.
    List<String> head = r.err().lines().limit(2).toList();
    System.out.println("[s3-faults] " + String.join("\n[s3-faults] ", head));
    assertTrue(head.get(0).startsWith("longmix run: failed: "), r.err());
    String reason = head.get(1).startsWith("longmix run: cause: ") ? head.get(1) : head.get(0);
    assertTrue(
        reason.contains(proxy.endpoint().substring("http://".length()))
            && reason.contains("Connection refused"),
        "the failure names the endpoint and that it refused:\n" + r.err());
    assertTrue(seconds < 120, "failed within bounded time: " + seconds + " s");
    return r;
  }

  /**
   * After a failed write: no manifest and no _SUCCESS anywhere under the stage, and the next stage
   * refuses it as input.
   */
  void assertNothingLooksComplete(String root, String stage) {
    String prefix = root.substring(("s3a://" + BUCKET + "/").length()) + "/" + stage + "/";
    List<String> keys = keys(prefix);
    System.out.println("[s3-faults] " + prefix + " after the failure: " + keys);
    for (String k : keys) {
      String name = k.substring(k.lastIndexOf('/') + 1);
      assertFalse(name.equals(Manifests.FILE), "a manifest after a failed write: " + keys);
      assertFalse(name.equals("_SUCCESS"), "a _SUCCESS after a failed write: " + keys);
    }
    if (stage.equals("tokenized")) {
      List<String> a =
          new ArrayList<>(
              List.of("histogram", "--input", root + "/tokenized", "--output", root + "/h2"));
      a.addAll(viaProxy.confArgs());
      S3TokenizeCheck.Run h = S3TokenizeCheck.main(a);
      assertEquals(ExitCode.INVALID_SETTINGS, h.code(), h.out() + h.err());
      assertTrue(h.err().contains("has no complete _manifest.json"), h.err());
    }
  }

  /** The data files a reader of the dataset sees: no path component starts with _ or . */
  List<String> visibleData(String stage) {
    List<String> visible = new ArrayList<>();
    for (String k : keys(stage + "/")) {
      String rel = k.substring(stage.length() + 1);
      boolean hidden = rel.isEmpty();
      for (String part : rel.split("/")) {
        hidden |= part.startsWith("_") || part.startsWith(".");
      }
      if (!hidden) {
        visible.add(rel);
      }
    }
    return visible;
  }

  /** Every row of every dataset, as JSON, sorted; and the manifests' counts. */
  void assertSameOutputs(String expectedRoot, String actualRoot) throws Exception {
    S3TokenizeCheck.stopActiveSpark();
    SparkSession spark = Sessions.create("longmix-s3-faults-check", "local[2]", direct.spark());
    try {
      for (String d : DATASETS) {
        List<String> x = rows(spark, expectedRoot + "/" + d);
        List<String> y = rows(spark, actualRoot + "/" + d);
        if (!d.endsWith("_rejects")) {
          assertFalse(x.isEmpty(), d + " is empty: equal outputs would prove nothing");
        }
        assertEquals(x, y, d + ": rows");
      }
    } finally {
      spark.stop();
    }
    Configuration h = direct.hadoop();
    for (String stage : List.of("tokenized", "histogram", "packed")) {
      JsonNode x = dev.longmix.jobs.TestManifests.json(h, expectedRoot + "/" + stage).orElseThrow();
      JsonNode y = dev.longmix.jobs.TestManifests.json(h, actualRoot + "/" + stage).orElseThrow();
      assertTrue(y.path("complete").asBoolean(), stage + " complete");
      assertEquals(x.path("counts"), y.path("counts"), stage + " manifest counts");
      assertEquals(x.path("domains"), y.path("domains"), stage + " manifest domains");
    }
  }

  static List<String> rows(SparkSession spark, String dir) {
    List<String> l = new ArrayList<>(spark.read().parquet(dir).toJSON().collectAsList());
    Collections.sort(l);
    return l;
  }

  S3TokenizeCheck.Run run(String root) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "run",
                "--input",
                corpus,
                "--output",
                root,
                "--tokenizer",
                TestData.defaultTokenizer().toString(),
                "--master",
                "local[2]",
                "--progress-interval",
                "0",
                "--strategy",
                "per-source",
                "--budget-fraction",
                "0.3",
                "--seq-len",
                "4096",
                "--seed",
                "1",
                "--max-copies",
                "4",
                "--infeasible",
                "fill-short"));
    a.addAll(viaProxy.confArgs());
    Map<String, String> retries = new LinkedHashMap<>(RETRIES);
    retries.forEach((k, v) -> a.addAll(List.of("--conf", k + "=" + v)));
    S3TokenizeCheck.stopActiveSpark();
    long t0 = System.nanoTime();
    S3TokenizeCheck.Run r = S3TokenizeCheck.main(a);
    System.out.printf(
        Locale.ROOT,
        "[s3-faults] run --output %s: exit %d after %.1f s%n",
        root,
        r.code(),
        (System.nanoTime() - t0) / 1e9);
    return r;
  }

  static String s3(String key) {
    return "s3a://" + BUCKET + "/" + key;
  }

  S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(direct.endpoint()))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(direct.accessKey(), direct.secretKey())))
        .build();
  }

  /** Every object key under the prefix, straight from the store (not through the proxy). */
  List<String> keys(String prefix) {
    try (S3Client s3 = client()) {
      return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
          .map(S3Object::key)
          .sorted()
          .toList();
    }
  }

  /** Multipart uploads still open under the prefix. */
  List<String> uploads(String prefix) {
    try (S3Client s3 = client()) {
      return s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads().stream()
          .map(MultipartUpload::key)
          .sorted()
          .toList();
    }
  }
}
