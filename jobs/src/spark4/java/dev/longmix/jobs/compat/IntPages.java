package dev.longmix.jobs.compat;

import java.io.IOException;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.IntStatistics;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Hands a V1 page of an int list column (RLE levels, PLAIN values) to parquet-mr's page writer, for
 * {@code fast.DirectParquetWriter}. Spark 4.x line: parquet-mr 1.15+ keeps size statistics (the
 * levels' histograms) beside each page, so they go with it as its column writer would send them.
 */
public final class IntPages {
  private final PrimitiveType type;
  private final boolean sizeStatistics;
  private boolean withSizeStatistics = true;

  public IntPages(ParquetProperties props, ColumnDescriptor descriptor) {
    this.type = descriptor.getPrimitiveType();
    this.sizeStatistics = props.getSizeStatisticsEnabled(descriptor);
  }

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
    if (withSizeStatistics) {
      SizeStatistics sizes =
          sizeStatistics
              ? new SizeStatistics(
                  type,
                  0,
                  List.of((long) rowCount, (long) (valueCount - rowCount)),
                  List.of((long) nulls, (long) (valueCount - nulls)))
              : SizeStatistics.noopBuilder(type, 1, 1).build();
      try {
        pages.writePage(
            bytes, valueCount, rowCount, stats, sizes, Encoding.RLE, Encoding.RLE, Encoding.PLAIN);
        return;
      } catch (UnsupportedOperationException e) {
        // parquet-mr 1.17 (Spark 4.2) implements this call only with geospatial statistics as
        // well; its interface default refuses before writing anything. Its page writer then
        // gets the page without the level histograms, which are optional metadata.
        withSizeStatistics = false;
      }
    }
    pages.writePage(bytes, valueCount, rowCount, stats, Encoding.RLE, Encoding.RLE, Encoding.PLAIN);
  }
}
