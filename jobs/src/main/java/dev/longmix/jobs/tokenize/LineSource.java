package dev.longmix.jobs.tokenize;

import dev.longmix.common.corpus.LineReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Opens one JSON-lines corpus file, decompressed, on any Hadoop filesystem. */
final class LineSource implements AutoCloseable {
  private final InputStream in;
  private final CountingStream counted;
  final LineReader lines;

  LineSource(Configuration conf, InputFile file) throws IOException {
    Path p = new Path(file.path());
    FileSystem fs = p.getFileSystem(conf);
    counted = new CountingStream(fs.open(p, 1 << 20));
    InputStream raw = counted;
    try {
      this.in = file.format().decompress(raw);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
    this.lines = new LineReader(in);
  }

  /** Bytes of the (compressed) file consumed so far. */
  long bytesRead() {
    return counted.count;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
