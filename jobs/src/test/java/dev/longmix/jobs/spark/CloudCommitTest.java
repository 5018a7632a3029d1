package dev.longmix.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudCommitTest {
  @Test
  void s3aOutputsGetTheMagicCommitterAndOthersNothing() {
    Map<String, String> m = CloudCommit.settings(Map.of(), List.of("s3a://b/out"));
    assertEquals("magic", m.get("spark.hadoop.fs.s3a.committer.name"));
    assertEquals(CloudCommit.PROTOCOL, m.get("spark.sql.sources.commitProtocolClass"));
    assertEquals(CloudCommit.PARQUET_COMMITTER, m.get("spark.sql.parquet.output.committer.class"));
    assertTrue(
        CloudCommit.settings(Map.of(), List.of("/tmp/x", "file:///y", "gs://b/z")).isEmpty());
  }

  @Test
  void theUsersChoiceWins() {
    Map<String, String> m =
        CloudCommit.settings(
            Map.of("spark.hadoop.fs.s3a.committer.name", "directory"), List.of("s3a://b/out"));
    assertFalse(m.containsKey("spark.hadoop.fs.s3a.committer.name"));
  }
}
