package dev.longmix.jobs.pack;

import dev.longmix.common.pack.PackItem;
import dev.longmix.common.pack.RowFragment;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.StageProgress;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.parquet.VersionParser;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;

/**
 * The ids pass of the driver path: reads (doc_id, input_ids) from the tokenized files' Parquet
 * pages, keeps only the selected documents and splits their items into row fragments, as {@link
 * Placement.Fragments} does after Spark's scan and join on the distributed path. One task per file.
 * A document's ids are copied once, into the fragments.
 *
 * <p>Why not Spark's scan: its vectorized reader decodes every id of every document into column
 * vectors with a repetition and a definition level each and assembles every list, ~40% of pack's
 * CPU at half the corpus, for documents the selection then drops (>99% of them for 627B → 5B). Here
 * a page's levels are decoded into bytes, unselected documents are passed over by counting their
 * values, and a selected document's ids are copied out of the page in bulk. That fast path needs
 * what longmix's tokenize writes: V1 data pages, PLAIN values, RLE/bit-packed levels, no
 * dictionary; a row group that is otherwise encoded is read value by value through parquet-mr's
 * column reader instead, with the same result.
 */
final class IdsScan implements FlatMapFunction<Iterator<String>, RowFragment> {
  private static final long serialVersionUID = 1L;
  private static final EnumSet<Encoding> FAST_ENCODINGS =
      EnumSet.of(Encoding.PLAIN, Encoding.RLE, Encoding.BIT_PACKED);

  private final Broadcast<HadoopConf> conf;
  private final Broadcast<SelectedDocs> selected;
  private final StageProgress.Pass progress;
  private final int seqLen;
  private final long rows;

  IdsScan(
      Broadcast<HadoopConf> conf,
      Broadcast<SelectedDocs> selected,
      StageProgress.Pass progress,
      int seqLen,
      long rows) {
    this.conf = conf;
    this.selected = selected;
    this.progress = progress;
    this.seqLen = seqLen;
    this.rows = rows;
  }

  @Override
  public Iterator<RowFragment> call(Iterator<String> files) {
    SelectedDocs docs = selected.value();
    return new Iterator<>() {
      FileScan current;
      Iterator<RowFragment> pending = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        try {
          while (!pending.hasNext()) {
            if (current == null) {
              if (!files.hasNext()) {
                return false;
              }
              current = new FileScan(files.next(), docs);
            }
            List<RowFragment> next = current.next();
            if (next == null) {
              current.close();
              current = null;
            } else {
              pending = next.iterator();
            }
          }
          return true;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public RowFragment next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return pending.next();
      }
    };
  }

  /** One file, a page (fast path) or a row group (otherwise) at a time. */
  private final class FileScan implements AutoCloseable {
    final String file;
    final SelectedDocs docs;
    final ParquetFileReader reader;
    final ColumnDescriptor docCol;
    final ColumnDescriptor idsCol;
    final VersionParser.ParsedVersion createdBy;
    final Iterator<BlockMetaData> blocks;

    // the row group being read
    long[] docIds;
    PageReader pages;
    int row = -1; // index of the current row in docIds
    int selectedIndex = -1; // the current row's index in docs, or -1
    int[] carry = new int[1 << 12];
    int carryLen;
    byte[] rep = new byte[0];
    byte[] def = new byte[0];
    int[] starts = new int[0];

    FileScan(String file, SelectedDocs docs) throws IOException {
      this.file = file;
      this.docs = docs;
      this.reader = conf.value().openParquet(file);
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      if (!schema.containsPath(new String[] {"doc_id"})
          || !schema.containsPath(new String[] {"input_ids", "list", "element"})) {
        throw new IllegalStateException(
            file + ": no doc_id and input_ids (list<int32>) columns; not a tokenized dataset");
      }
      docCol = schema.getColumnDescription(new String[] {"doc_id"});
      idsCol = schema.getColumnDescription(new String[] {"input_ids", "list", "element"});
      if (docCol.getPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.INT64
          || docCol.getMaxDefinitionLevel() != 0
          || idsCol.getPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.INT32
          || idsCol.getMaxRepetitionLevel() != 1
          || idsCol.getMaxDefinitionLevel() != 1) {
        throw new IllegalStateException(
            file
                + ": doc_id must be a required int64 and input_ids a required list of required"
                + " int32, as tokenize writes them");
      }
      reader.setRequestedSchema(
          new MessageType(schema.getName(), schema.getType("doc_id"), schema.getType("input_ids")));
      VersionParser.ParsedVersion v;
      try {
        v = VersionParser.parse(reader.getFooter().getFileMetaData().getCreatedBy());
      } catch (Exception e) {
        v = null;
      }
      createdBy = v;
      blocks = reader.getFooter().getBlocks().iterator();
    }

    /** The selected rows completed by the next page or row group; null at the end of the file. */
    List<RowFragment> next() throws IOException {
      List<RowFragment> out = new ArrayList<>();
      while (out.isEmpty()) {
        if (pages == null) {
          // parquet-mr's reader passes over empty row groups; so does this walk of the footer.
          BlockMetaData block = null;
          while (block == null && blocks.hasNext()) {
            BlockMetaData b = blocks.next();
            block = b.getRowCount() > 0 ? b : null;
          }
          PageReadStore rg = reader.readNextRowGroup();
          if (block == null || rg == null) {
            if (block != null || rg != null) {
              throw new IllegalStateException(file + ": row groups out of step with the footer");
            }
            return null;
          }
          if (rg.getRowCount() != block.getRowCount()) {
            throw new IllegalStateException(
                file
                    + ": row group of "
                    + rg.getRowCount()
                    + " rows where the footer lists "
                    + block.getRowCount());
          }
          docIds = readDocIds(rg);
          // Counted as they are read (a page at a time for the ids), for the live progress line.
          progress.add(docIds.length, 0);
          if (!fast(block)) {
            slowRowGroup(rg, out);
            continue;
          }
          pages = rg.getPageReader(idsCol);
          row = -1;
          carryLen = 0;
        }
        DataPage page = pages.readPage();
        if (page == null) {
          endRow(out);
          if (row + 1 != docIds.length) {
            throw new IllegalStateException(
                file + ": " + (row + 1) + " lists of ids but " + docIds.length + " doc ids");
          }
          pages = null;
          continue;
        }
        readPage((DataPageV1) page, out);
      }
      return out;
    }

    /** Whether the row group's ids chunk is one the page path reads. */
    private boolean fast(BlockMetaData block) {
      for (ColumnChunkMetaData c : block.getColumns()) {
        if (c.getPath().toDotString().equals("input_ids.list.element")) {
          return !c.hasDictionaryPage()
              && FAST_ENCODINGS.containsAll(c.getEncodings())
              && (c.getEncodingStats() == null || !c.getEncodingStats().usesV2Pages());
        }
      }
      return false;
    }

    private long[] readDocIds(PageReadStore rg) {
      int n = Math.toIntExact(rg.getRowCount());
      long[] out = new long[n];
      ColumnReaderImpl cr =
          new ColumnReaderImpl(
              docCol, rg.getPageReader(docCol), new PrimitiveConverter() {}, createdBy);
      for (int i = 0; i < n; i++) {
        out[i] = cr.getLong();
        cr.consume();
      }
      return out;
    }

    private void readPage(DataPageV1 page, List<RowFragment> out) throws IOException {
      if (page.getValueEncoding() != Encoding.PLAIN
          || page.getRlEncoding() != Encoding.RLE
          || page.getDlEncoding() != Encoding.RLE) {
        throw new IllegalStateException(
            file
                + ": ids page encoded "
                + page.getValueEncoding()
                + "/"
                + page.getRlEncoding()
                + "/"
                + page.getDlEncoding()
                + " though its column chunk listed only "
                + FAST_ENCODINGS);
      }
      int n = page.getValueCount();
      ByteBuffer buf = page.getBytes().toByteBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
      // Usually no list in the page is empty: every definition level is 1, a value sits at each
      // level, and only where rows begin matters. Those are read from the repetition levels' runs
      // without expanding them (a row is one run of 1s, for every id); otherwise both levels are
      // expanded and walked one by one.
      int levelsAt = buf.position();
      if (starts.length < n) {
        starts = new int[n];
      }
      int rowCount = rowStarts(buf, starts, n);
      if (allOnes(buf, n)) {
        IntBuffer values = buf.slice().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        int segment = 0; // where the current row's values in this page begin
        for (int r = 0; r < rowCount; r++) {
          int at = starts[r];
          keep(values, segment, at);
          beginRow(out);
          segment = at;
        }
        keep(values, segment, n);
        progress.add(0, n);
        return;
      }
      buf.position(levelsAt);
      if (rep.length < n) {
        rep = new byte[n];
        def = new byte[n];
      }
      levels(buf, rep, n);
      levels(buf, def, n);
      IntBuffer values = buf.slice().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
      int v = 0; // next value in the page
      int segment = 0; // where the current row's values in this page begin
      for (int i = 0; i < n; i++) {
        if (rep[i] == 0) {
          keep(values, segment, v);
          beginRow(out);
          segment = v;
        }
        if (def[i] == 1) {
          v++;
        }
      }
      keep(values, segment, v);
      progress.add(0, v);
    }

    /** Ends the current row and moves to the next one. */
    private void beginRow(List<RowFragment> out) {
      endRow(out);
      row++;
      if (row >= docIds.length) {
        throw new IllegalStateException(
            file + ": more lists of ids than the " + docIds.length + " doc ids");
      }
      selectedIndex = docs.indexOf(docIds[row]);
    }

    /** Appends values [from, to) of the page to the current row if it is selected. */
    private void keep(IntBuffer values, int from, int to) {
      if (selectedIndex < 0 || to <= from) {
        return;
      }
      int len = to - from;
      if (carryLen + len > carry.length) {
        carry = Arrays.copyOf(carry, Math.max(carryLen + len, 2 * carry.length));
      }
      values.get(from, carry, carryLen, len);
      carryLen += len;
    }

    private void endRow(List<RowFragment> out) {
      if (row >= 0 && selectedIndex >= 0) {
        docs.fragments(selectedIndex, carry, carryLen, seqLen, rows, out);
      }
      carryLen = 0;
      selectedIndex = -1;
    }

    /** Any encoding, through parquet-mr's column reader: one value at a time. */
    private void slowRowGroup(PageReadStore rg, List<RowFragment> out) {
      ColumnReaderImpl cr =
          new ColumnReaderImpl(
              idsCol, rg.getPageReader(idsCol), new PrimitiveConverter() {}, createdBy);
      long total = cr.getTotalValueCount();
      long values = 0;
      int r = -1;
      int sel = -1;
      int len = 0;
      for (long i = 0; i < total; i++) {
        if (cr.getCurrentRepetitionLevel() == 0) {
          if (r >= 0 && sel >= 0) {
            docs.fragments(sel, carry, len, seqLen, rows, out);
          }
          r++;
          sel = docs.indexOf(docIds[r]);
          len = 0;
        }
        if (cr.getCurrentDefinitionLevel() == 1) {
          int x = cr.getInteger();
          values++;
          if (sel >= 0) {
            if (len == carry.length) {
              carry = Arrays.copyOf(carry, 2 * len);
            }
            carry[len++] = x;
          }
        }
        cr.consume();
      }
      if (r >= 0 && sel >= 0) {
        docs.fragments(sel, carry, len, seqLen, rows, out);
      }
      progress.add(0, values);
      if (r + 1 != docIds.length) {
        throw new IllegalStateException(
            file + ": " + (r + 1) + " lists of ids but " + docIds.length + " doc ids");
      }
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  /**
   * Where the levels equal 0, for n levels of bit width 1 in Parquet's RLE/bit-packing hybrid
   * behind a 4-byte length: the positions go to out in order, their count is returned, and buf is
   * left after the levels. For repetition levels these are the positions where rows begin.
   */
  static int rowStarts(ByteBuffer buf, int[] out, int n) {
    int len = buf.getInt();
    int end = buf.position() + len;
    int k = 0;
    int count = 0;
    while (buf.position() < end) {
      int h = header(buf);
      if ((h & 1) == 0) {
        int run = h >>> 1;
        int value = buf.get();
        int to = Math.min(n, k + run);
        if (value == 0) {
          for (int i = k; i < to; i++) {
            out[count++] = i;
          }
        }
        k = to;
      } else {
        int groups = h >>> 1;
        for (int g = 0; g < groups; g++) {
          int bits = buf.get() & 0xFF;
          for (int j = 0; j < 8 && k < n; j++, k++) {
            if (((bits >>> j) & 1) == 0) {
              out[count++] = k;
            }
          }
        }
      }
    }
    if (k < n) {
      throw new IllegalStateException("levels end after " + k + " of " + n + " values");
    }
    buf.position(end);
    return count;
  }

  /**
   * Whether all n levels of bit width 1 (the hybrid encoding behind a 4-byte length) are 1; if so
   * buf is left after them, otherwise somewhere inside.
   */
  static boolean allOnes(ByteBuffer buf, int n) {
    int len = buf.getInt();
    int end = buf.position() + len;
    int k = 0;
    while (buf.position() < end && k < n) {
      int h = header(buf);
      if ((h & 1) == 0) {
        int run = h >>> 1;
        if (buf.get() != 1) {
          return false;
        }
        k = Math.min(n, k + run);
      } else {
        int groups = h >>> 1;
        for (int g = 0; g < groups; g++) {
          int bits = buf.get() & 0xFF;
          int take = Math.min(8, n - k);
          if (take > 0 && (bits & ((1 << take) - 1)) != (1 << take) - 1) {
            return false;
          }
          k += Math.max(0, take);
        }
      }
    }
    if (k < n) {
      throw new IllegalStateException("levels end after " + k + " of " + n + " values");
    }
    buf.position(end);
    return true;
  }

  /** A run's header: an unsigned LEB128 varint. */
  private static int header(ByteBuffer buf) {
    int h = 0;
    int shift = 0;
    int b;
    do {
      b = buf.get() & 0xFF;
      h |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    return h;
  }

  /**
   * Decodes n levels of bit width 1 (Parquet's RLE/bit-packing hybrid behind a 4-byte length) into
   * out, leaving buf after them.
   */
  static void levels(ByteBuffer buf, byte[] out, int n) {
    int len = buf.getInt();
    int end = buf.position() + len;
    int k = 0;
    while (buf.position() < end) {
      int h = header(buf);
      if ((h & 1) == 0) {
        int count = h >>> 1;
        byte value = buf.get();
        int to = Math.min(n, k + count);
        Arrays.fill(out, k, to, value);
        k = to;
      } else {
        int groups = h >>> 1;
        for (int g = 0; g < groups; g++) {
          int bits = buf.get() & 0xFF;
          for (int j = 0; j < 8; j++) {
            if (k < n) {
              out[k++] = (byte) ((bits >>> j) & 1);
            }
          }
        }
      }
    }
    if (k < n) {
      throw new IllegalStateException("levels end after " + k + " of " + n + " values");
    }
    buf.position(end);
  }

  /**
   * The selected documents and their items, as the driver placed them: doc ids sorted, each with a
   * run of items (global start, domain, piece, copy, from-token, tokens), in compact arrays for the
   * broadcast.
   */
  static final class SelectedDocs implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long[] docIds;
    private final int[] firstItem;
    private final long[] globalStart;
    private final short[] domain;
    private final String[] domains;
    private final int[] piece;
    private final int[] copy;
    private final int[] fromToken;
    private final int[] tokens;

    /** From the driver's per-document items (rows as {@link Placement#itemStruct}). */
    SelectedDocs(Map<Long, List<Row>> perDoc) {
      int docsN = perDoc.size();
      int items = 0;
      for (List<Row> l : perDoc.values()) {
        items += l.size();
      }
      docIds = new long[docsN];
      firstItem = new int[docsN + 1];
      globalStart = new long[items];
      domain = new short[items];
      piece = new int[items];
      copy = new int[items];
      fromToken = new int[items];
      tokens = new int[items];
      List<String> names = new ArrayList<>();
      java.util.HashMap<String, Short> index = new java.util.HashMap<>();
      int d = 0;
      int i = 0;
      Long previous = null;
      for (Map.Entry<Long, List<Row>> e : perDoc.entrySet()) {
        if (previous != null && e.getKey() <= previous) {
          throw new IllegalArgumentException("documents must come in increasing doc id order");
        }
        previous = e.getKey();
        docIds[d] = e.getKey();
        firstItem[d] = i;
        for (Row r : e.getValue()) {
          globalStart[i] = r.getLong(0);
          domain[i] =
              index.computeIfAbsent(
                  r.getString(1),
                  k -> {
                    names.add(k);
                    return (short) (names.size() - 1);
                  });
          piece[i] = r.getInt(2);
          copy[i] = r.getInt(3);
          fromToken[i] = r.getInt(4);
          tokens[i] = r.getInt(5);
          i++;
        }
        d++;
      }
      firstItem[docsN] = i;
      domains = names.toArray(new String[0]);
    }

    int indexOf(long docId) {
      int k = Arrays.binarySearch(docIds, docId);
      return k >= 0 ? k : -1;
    }

    /**
     * Adds the fragments of document k's items to out; its ids are ids[0, n), which the fragments
     * copy.
     */
    void fragments(int k, int[] ids, int n, int seqLen, long rows, List<RowFragment> out) {
      for (int i = firstItem[k]; i < firstItem[k + 1]; i++) {
        if (fromToken[i] + (long) tokens[i] > n) {
          throw new IllegalStateException(
              "document "
                  + docIds[k]
                  + " has "
                  + n
                  + " ids but its item needs ["
                  + fromToken[i]
                  + ", +"
                  + tokens[i]
                  + ")");
        }
        PackItem item =
            new PackItem(
                docIds[k], domains[domain[i]], piece[i], copy[i], ids, fromToken[i], tokens[i]);
        Placement.Fragments.split(item, globalStart[i], seqLen, rows, out);
      }
    }
  }
}
