package dev.longmix.jobs.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longmix.demo.SampleCorpus;
import dev.longmix.jobs.Main;
import dev.longmix.jobs.TestData;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.spark.Sessions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The S3 acceptance check, for any S3-compatible endpoint: a corpus uploaded to a bucket and
 * tokenized from s3a:// to s3a:// gives the same rows and counts as the same corpus on local disk;
 * the manifests on S3 hold no credential; the output was committed by the S3A magic committer.
 */
final class S3TokenizeCheck {
  private S3TokenizeCheck() {}

  record Run(int code, String out, String err) {}

  static Run main(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Stops a session another test left running: Main's getOrCreate would reuse it otherwise. */
  static void stopActiveSpark() {
    SparkSession.getActiveSession()
        .foreach(
            s -> {
              s.stop();
              return null;
            });
    SparkSession.getDefaultSession()
        .foreach(
            s -> {
              s.stop();
              return null;
            });
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  /** What the check compared: documents tokenized and packed rows, equal on both filesystems. */
  record Compared(long documents, long packedRows) {}

  static Compared run(S3Settings s3, String bucket, Path tmp) throws Exception {
    stopActiveSpark();
    Path corpus = tmp.resolve("corpus");
    SampleCorpus.write(corpus, 7L, SampleCorpus.Scale.TINY);
    s3.createBucket(bucket);
    Configuration hconf = s3.hadoop();
    org.apache.hadoop.fs.Path remoteCorpus =
        new org.apache.hadoop.fs.Path("s3a://" + bucket + "/corpus");
    FileSystem fs = remoteCorpus.getFileSystem(hconf);
    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(corpus.toUri()), remoteCorpus);

    String tokenizer = TestData.defaultTokenizer().toString();
    String localOut = tmp.resolve("local-tokenized").toString();
    String s3Out = "s3a://" + bucket + "/out/tokenized";
    List<String> common =
        List.of("--tokenizer", tokenizer, "--master", "local[2]", "--progress-interval", "0");

    List<String> local =
        new ArrayList<>(List.of("tokenize", "--input", corpus.toString(), "--output", localOut));
    local.addAll(common);
    Run l = main(local);
    assertEquals(0, l.code(), "local run:\n" + l.out() + l.err());

    List<String> remote =
        new ArrayList<>(List.of("tokenize", "--input", remoteCorpus.toString(), "--output", s3Out));
    remote.addAll(common);
    remote.addAll(s3.confArgs());
    Run r = main(remote);
    assertEquals(0, r.code(), "s3 run:\n" + r.out() + r.err());
    for (String secret : List.of(s3.secretKey(), s3.accessKey())) {
      assertFalse(r.out().contains(secret) || r.err().contains(secret), "a credential was printed");
    }

    // Same rows (doc_id, ids) from both filesystems.
    SparkSession spark = Sessions.create("longmix-s3-test", "local[2]", s3.spark());
    try {
      assertEquals(rows(spark, localOut), rows(spark, s3Out));
    } finally {
      spark.stop();
    }

    // Same manifest counts; no credential in any manifest on S3.
    JsonNode lm = dev.longmix.jobs.TestManifests.json(new Configuration(), localOut).orElseThrow();
    JsonNode sm = dev.longmix.jobs.TestManifests.json(hconf, s3Out).orElseThrow();
    assertTrue(sm.path("complete").asBoolean(), sm.toString());
    assertTrue(sm.path("counts").path("documents").asLong() > 0, sm.toString());
    for (String k : List.of("counts", "domains", "reject_reasons")) {
      JsonNode a = lm.path(k).deepCopy();
      JsonNode b = sm.path(k).deepCopy();
      assertEquals(a, b, k);
    }
    assertEquals(lm.path("input").path("files"), sm.path("input").path("files"));
    assertEquals(lm.path("input").path("bytes"), sm.path("input").path("bytes"));
    assertEquals(lm.path("fingerprint"), sm.path("fingerprint"), "fingerprint is filesystem-free");
    for (String m : List.of(s3Out + "/_manifest.json", s3Out + "/_rejects/_manifest.json")) {
      String text = read(hconf, m);
      assertFalse(text.contains(s3.secretKey()), m + " holds the secret key");
      assertFalse(text.contains(s3.accessKey()), m + " holds the access key");
    }
    assertTrue(
        read(hconf, s3Out + "/_manifest.json")
            .contains("\"conf:spark.hadoop.fs.s3a.secret.key\" : \"****\""));

    // Committed by the S3A magic committer: its _SUCCESS is a JSON summary naming it.
    String success = read(hconf, s3Out + "/_SUCCESS");
    assertEquals(
        "magic",
        Manifests.JSON.readTree(success).path("committer").asText(),
        "_SUCCESS: " + success.substring(0, Math.min(300, success.length())));

    // A rerun on S3 sees the complete manifest and does nothing.
    Run again = main(remote);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("nothing to do"), again.out());

    // The whole pipeline, every stage written to s3a://, equals the same pipeline on local disk.
    String localRoot = tmp.resolve("local-root").toString();
    String s3Root = "s3a://" + bucket + "/root";
    List<String> pipeline =
        List.of(
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
            "fill-short");
    List<String> localRun =
        new ArrayList<>(List.of("run", "--input", corpus.toString(), "--output", localRoot));
    localRun.addAll(common);
    localRun.addAll(pipeline);
    Run lr = main(localRun);
    assertEquals(0, lr.code(), "local pipeline:\n" + lr.out() + lr.err());
    List<String> remoteRun =
        new ArrayList<>(List.of("run", "--input", remoteCorpus.toString(), "--output", s3Root));
    remoteRun.addAll(common);
    remoteRun.addAll(pipeline);
    remoteRun.addAll(s3.confArgs());
    Run rr = main(remoteRun);
    assertEquals(0, rr.code(), "s3 pipeline:\n" + rr.out() + rr.err());
    JsonNode lh =
        dev.longmix.jobs.TestManifests.json(new Configuration(), localRoot + "/histogram")
            .orElseThrow();
    JsonNode sh = dev.longmix.jobs.TestManifests.json(hconf, s3Root + "/histogram").orElseThrow();
    assertEquals(lh.path("domains"), sh.path("domains"), "histogram");
    JsonNode lp =
        dev.longmix.jobs.TestManifests.json(new Configuration(), localRoot + "/packed")
            .orElseThrow();
    JsonNode sp = dev.longmix.jobs.TestManifests.json(hconf, s3Root + "/packed").orElseThrow();
    assertTrue(lp.path("counts").path("rows").asLong() > 0, lp.toString());
    assertEquals(lp.path("counts"), sp.path("counts"), "packed rows, tokens, tail and digest");
    for (String stage : List.of("tokenized", "histogram", "packed")) {
      String manifest = read(hconf, s3Root + "/" + stage + "/_manifest.json");
      assertFalse(manifest.contains(s3.secretKey()), stage + " manifest holds the secret key");
    }
    assertEquals(
        "magic",
        Manifests.JSON
            .readTree(read(hconf, s3Root + "/packed/_SUCCESS"))
            .path("committer")
            .asText());
    return new Compared(
        sm.path("counts").path("documents").asLong(), sp.path("counts").path("rows").asLong());
  }

  static List<String> rows(SparkSession spark, String dir) {
    List<String> out = new ArrayList<>();
    for (Row row :
        spark
            .read()
            .parquet(dir)
            .selectExpr("doc_id", "input_ids")
            .orderBy("doc_id")
            .collectAsList()) {
      out.add(row.getLong(0) + ":" + row.getList(1));
    }
    return out;
  }

  static String read(Configuration conf, String path) throws Exception {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    try (InputStream in = p.getFileSystem(conf).open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
