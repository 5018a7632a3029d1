package dev.longmix.jobs.compat;

import java.io.IOException;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.IntStatistics;

/**
 * Hands a V1 page of an int list column (RLE levels, PLAIN values) to parquet-mr's page writer, for
 * {@code fast.DirectParquetWriter}. Spark 3.5 line: parquet-mr 1.13 has no size statistics, so the
 * page goes with its value statistics only, as its own column writer sends it.
 */
public final class IntPages {
  public IntPages(ParquetProperties props, ColumnDescriptor descriptor) {}

  /**
   * One page of {@code rowCount} lists holding {@code valueCount} level entries, {@code nulls} of
   * them empty lists (rep/def (0, 0)).
   */
  public void write(
      PageWriter pages,
      BytesInput bytes,
      int valueCount,
      int rowCount,
      int nulls,
      IntStatistics stats)
      throws IOException {
    pages.writePage(bytes, valueCount, rowCount, stats, Encoding.RLE, Encoding.RLE, Encoding.PLAIN);
  }
}
