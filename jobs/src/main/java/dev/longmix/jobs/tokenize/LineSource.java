package dev.longmix.jobs.tokenize;

import dev.longmix.common.corpus.LineReader;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Opens one JSON-lines corpus file, decompressed, on any Hadoop filesystem. */
final class LineSource implements AutoCloseable {
  private final InputStream in;
  final LineReader lines;

  LineSource(Configuration conf, InputFile file) throws IOException {
    Path p = new Path(file.path());
    FileSystem fs = p.getFileSystem(conf);
    InputStream raw = fs.open(p, 1 << 20);
    try {
      this.in = file.format().decompress(raw);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
    this.lines = new LineReader(in);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
