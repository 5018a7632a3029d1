package dev.longmix.common.corpus;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/** The input file formats longmix reads, recognised by file name as SlimPajama names them. */
public enum CorpusFormat {
  JSONL,
  JSONL_ZST,
  JSONL_GZ,
  PARQUET;

  /** The format of a file name, or empty when the file is not corpus input. */
  public static Optional<CorpusFormat> of(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.endsWith(".jsonl.zst")) {
      return Optional.of(JSONL_ZST);
    }
    if (n.endsWith(".jsonl.gz")) {
      return Optional.of(JSONL_GZ);
    }
    if (n.endsWith(".jsonl")) {
      return Optional.of(JSONL);
    }
    if (n.endsWith(".parquet")) {
      return Optional.of(PARQUET);
    }
    return Optional.empty();
  }

  /** Wraps a raw file stream in the decompressor this format needs (JSON-lines formats only). */
  public InputStream decompress(InputStream raw) throws IOException {
    return switch (this) {
      case JSONL -> raw;
      case JSONL_ZST -> new ZstdInputStreamNoFinalizer(raw);
      case JSONL_GZ -> new GZIPInputStream(raw, 1 << 16);
      case PARQUET ->
          throw new IllegalStateException("Parquet is read by the engine, not as lines");
    };
  }
}
