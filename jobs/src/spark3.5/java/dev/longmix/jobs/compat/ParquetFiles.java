package dev.longmix.jobs.compat;

import java.io.IOException;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * parquet-mr's file writer and page store, for {@code fast.DirectParquetWriter}. Spark 3.5 line
 * (parquet-mr 1.13): the writer takes the three column properties it uses one by one, and a page
 * store has nothing to release (it is not closeable there).
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  public static ParquetFileWriter create(
      OutputFile file, MessageType schema, long rowGroupBytes, int maxPadding, ParquetProperties p)
      throws IOException {
    return new ParquetFileWriter(
        file,
        schema,
        ParquetFileWriter.Mode.CREATE,
        rowGroupBytes,
        maxPadding,
        p.getColumnIndexTruncateLength(),
        p.getStatisticsTruncateLength(),
        p.getPageWriteChecksumEnabled());
  }

  public static void release(ColumnChunkPageWriteStore pages) {}
}
