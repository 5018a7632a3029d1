package dev.longmix.jobs.fast;

import dev.longmix.jobs.spark.HadoopConf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Arrays;
import java.util.function.LongPredicate;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.DataPageV1;

/**
 * The ids of chosen documents of one tokenized file, read as pack's ids pass reads them: a page's
 * levels from their runs ({@link ParquetLevels}), the documents not wanted passed over by counting
 * their values, a wanted document's ids copied out of the page in bulk; a row group encoded
 * otherwise than tokenize writes it is read value by value. For the evalset stage, which reads the
 * eval pool's documents (a small share of every file) without decoding the rest.
 */
public final class DocumentIds {
  private DocumentIds() {}

  /** Receives each wanted document's ids. */
  @FunctionalInterface
  public interface Sink {
    /** Document {@code docId}'s ids are {@code ids[0, n)}; the array is reused afterwards. */
    void accept(long docId, int[] ids, int n);
  }

  /**
   * Calls {@code sink} with every document of {@code path} that {@code wanted} accepts, in file
   * order; returns how many documents the file holds.
   */
  public static long scan(HadoopConf conf, String path, LongPredicate wanted, Sink sink)
      throws IOException {
    try (TokenizedFile file = TokenizedFile.open(conf, path, TokenizedFile.Columns.IDS)) {
      Walk walk = new Walk(file.path(), wanted, sink);
      long documents = 0;
      TokenizedFile.RowGroup rg;
      while ((rg = file.nextRowGroup()) != null) {
        documents += rg.rows();
        walk.rowGroup(rg);
      }
      return documents;
    }
  }

  private static final class Walk {
    final String path;
    final LongPredicate wanted;
    final Sink sink;
    long[] docIds;
    int row;
    boolean keeping;
    int[] carry = new int[1 << 12];
    int carryLen;
    int[] starts = new int[0];
    byte[] rep = new byte[0];
    byte[] def = new byte[0];

    Walk(String path, LongPredicate wanted, Sink sink) {
      this.path = path;
      this.wanted = wanted;
      this.sink = sink;
    }

    void rowGroup(TokenizedFile.RowGroup rg) {
      docIds = rg.docIds();
      row = -1;
      keeping = false;
      carryLen = 0;
      if (!rg.idsByPage()) {
        valueByValue(rg.idsValues());
        return;
      }
      DataPageV1 page;
      while ((page = rg.nextIdsPage()) != null) {
        page(page);
      }
      endRow();
      if (row + 1 != docIds.length) {
        throw new IllegalStateException(
            path + ": " + (row + 1) + " lists of ids but " + docIds.length + " doc ids");
      }
    }

    private void page(DataPageV1 page) {
      int n = page.getValueCount();
      ByteBuffer buf;
      try {
        buf = page.getBytes().toByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(path + ": cannot read an ids page", e);
      }
      int levelsAt = buf.position();
      if (starts.length < n) {
        starts = new int[n];
      }
      int rows = ParquetLevels.rowStarts(buf, starts, n);
      if (ParquetLevels.allOnes(buf, n)) {
        IntBuffer values = buf.slice().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        int segment = 0;
        for (int r = 0; r < rows; r++) {
          keep(values, segment, starts[r]);
          beginRow();
          segment = starts[r];
        }
        keep(values, segment, n);
        return;
      }
      buf.position(levelsAt);
      if (rep.length < n) {
        rep = new byte[n];
        def = new byte[n];
      }
      ParquetLevels.levels(buf, rep, n);
      ParquetLevels.levels(buf, def, n);
      IntBuffer values = buf.slice().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
      int v = 0;
      int segment = 0;
      for (int i = 0; i < n; i++) {
        if (rep[i] == 0) {
          keep(values, segment, v);
          beginRow();
          segment = v;
        }
        if (def[i] == 1) {
          v++;
        }
      }
      keep(values, segment, v);
    }

    private void beginRow() {
      endRow();
      row++;
      if (row >= docIds.length) {
        throw new IllegalStateException(
            path + ": more lists of ids than the " + docIds.length + " doc ids");
      }
      keeping = wanted.test(docIds[row]);
    }

    private void keep(IntBuffer values, int begin, int end) {
      if (!keeping || end <= begin) {
        return;
      }
      int len = end - begin;
      if (carryLen + len > carry.length) {
        carry = Arrays.copyOf(carry, Math.max(carryLen + len, 2 * carry.length));
      }
      values.get(begin, carry, carryLen, len);
      carryLen += len;
    }

    private void endRow() {
      if (row >= 0 && keeping) {
        sink.accept(docIds[row], carry, carryLen);
      }
      carryLen = 0;
      keeping = false;
    }

    private void valueByValue(ColumnReaderImpl cr) {
      long total = cr.getTotalValueCount();
      int r = -1;
      boolean keep = false;
      int len = 0;
      for (long i = 0; i < total; i++) {
        if (cr.getCurrentRepetitionLevel() == 0) {
          if (r >= 0 && keep) {
            sink.accept(docIds[r], carry, len);
          }
          r++;
          keep = wanted.test(docIds[r]);
          len = 0;
        }
        if (cr.getCurrentDefinitionLevel() == 1) {
          int x = cr.getInteger();
          if (keep) {
            if (len == carry.length) {
              carry = Arrays.copyOf(carry, 2 * len);
            }
            carry[len++] = x;
          }
        }
        cr.consume();
      }
      if (r >= 0 && keep) {
        sink.accept(docIds[r], carry, len);
      }
      if (r + 1 != docIds.length) {
        throw new IllegalStateException(
            path + ": " + (r + 1) + " lists of ids but " + docIds.length + " doc ids");
      }
    }
  }
}
