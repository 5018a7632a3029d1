package dev.longmix.jobs.compat;

import java.io.IOException;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * parquet-mr's file writer and page store, for {@code fast.DirectParquetWriter}. Spark 4.x line
 * (parquet-mr 1.15+): the writer takes the column properties whole, and a row group's page store
 * holds buffers to release.
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  public static ParquetFileWriter create(
      OutputFile file, MessageType schema, long rowGroupBytes, int maxPadding, ParquetProperties p)
      throws IOException {
    return new ParquetFileWriter(
        file, schema, ParquetFileWriter.Mode.CREATE, rowGroupBytes, maxPadding, null, p);
  }

  public static void release(ColumnChunkPageWriteStore pages) {
    pages.close();
  }
}
