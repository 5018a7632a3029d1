package dev.longmix.jobs;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** The one-line reason printed beside "failed:", before the stack trace. */
class MainCauseTest {
  @Test
  void namesTheFirstIoErrorInTheChain() {
    ConnectException root = new ConnectException("Connection refused");
    IOException io = new IOException("upload part #1 on out/part-0.parquet: Connect to h:1", root);
    RuntimeException spark = new RuntimeException("Task failed while writing rows to s3a://b/out");
    spark.initCause(new IllegalStateException("wrapped", io));
    assertSame(io, Main.cause(spark));
  }

  @Test
  void looksInsideAnUncheckedIoErrorWhoseMessageLeavesTheReasonOut() {
    IOException io = new IOException("Connect to 127.0.0.1:1 failed: Connection refused");
    UncheckedIOException e = new UncheckedIOException("cannot prepare s3a://b/out", io);
    assertSame(io, Main.cause(e));
  }

  @Test
  void namesTheInnermostCauseWhenNoIoErrorIsInTheChain() {
    IllegalArgumentException root = new IllegalArgumentException("bad");
    RuntimeException e = new RuntimeException("outer", new IllegalStateException("mid", root));
    assertSame(root, Main.cause(e));
    RuntimeException alone = new RuntimeException("alone");
    assertSame(alone, Main.cause(alone));
  }
}
