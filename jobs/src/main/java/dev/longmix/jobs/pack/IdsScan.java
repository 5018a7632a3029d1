package dev.longmix.jobs.pack;

import dev.longmix.common.pack.PackItem;
import dev.longmix.common.pack.RowFragment;
import dev.longmix.jobs.evalset.EvalPool;
import dev.longmix.jobs.fast.ParquetLevels;
import dev.longmix.jobs.fast.TokenizedFile;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.StageProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The scan-ids step: one task per group of tokenized files reads its files' (doc_id, input_ids) and
 * turns the ids of the documents its items name into row fragments. A document's ids are copied
 * once, into the fragments.
 *
 * <p>Why not Spark's scan: its vectorized reader decodes every id of every document into column
 * vectors with a repetition and a definition level each and assembles every list, ~40% of pack's
 * CPU at half the corpus, for documents the selection then drops (>99% of them for 627B → 5B). Here
 * a page's levels are read from their runs ({@link ParquetLevels}), unselected documents are passed
 * over by counting their values, and a selected document's ids are copied out of the page in bulk.
 * A row group encoded otherwise than tokenize writes is read value by value through parquet-mr's
 * column reader, with the same result.
 */
final class IdsScan implements Function2<Integer, Iterator<SelectedItems>, Iterator<RowFragment>> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<HadoopConf> conf;
  private final Broadcast<List<String>> files;
  private final Broadcast<List<int[]>> groups;
  private final String[] domains;
  private final StageProgress.Pass progress;
  private final int seqLen;
  private final long rows;
  private final Broadcast<EvalPool> evalPool;
  private final CollectionAccumulator<Duplicate> duplicates;

  /** A packed document whose ids equal an eval pool document's. */
  record Duplicate(long docId, String domain, int nTokens) implements java.io.Serializable {}

  /**
   * @param evalPool the input's eval pool (empty: none), against which every packed document is
   *     compared
   * @param duplicates receives the packed documents equal to an eval document
   */
  IdsScan(
      Broadcast<HadoopConf> conf,
      Broadcast<List<String>> files,
      Broadcast<List<int[]>> groups,
      String[] domains,
      StageProgress.Pass progress,
      int seqLen,
      long rows,
      Broadcast<EvalPool> evalPool,
      CollectionAccumulator<Duplicate> duplicates) {
    this.conf = conf;
    this.files = files;
    this.groups = groups;
    this.domains = domains;
    this.progress = progress;
    this.seqLen = seqLen;
    this.rows = rows;
    this.evalPool = evalPool;
    this.duplicates = duplicates;
  }

  @Override
  public Iterator<RowFragment> call(Integer group, Iterator<SelectedItems> blocks) {
    List<SelectedItems> parts = new ArrayList<>();
    blocks.forEachRemaining(parts::add);
    SelectedItems items = SelectedItems.concat(domains, parts).forScan();
    int[] fileIndices = groups.value().get(group);
    return new Iterator<>() {
      int nextFile;
      int itemAt; // items are by file: those of files before nextFile are done
      FileScan current;
      Iterator<RowFragment> pending = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        try {
          while (!pending.hasNext()) {
            if (current == null) {
              if (nextFile == fileIndices.length) {
                if (itemAt != items.size()) {
                  throw new IllegalStateException(
                      "items of file "
                          + items.file(itemAt)
                          + " reached the ids task of group "
                          + group
                          + ", which does not read it");
                }
                return false;
              }
              int f = fileIndices[nextFile++];
              int end =
                  itemAt < items.size() && items.file(itemAt) == f ? items.fileEnd(itemAt) : itemAt;
              current = new FileScan(files.value().get(f), items, itemAt, end);
              itemAt = end;
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
    final TokenizedFile file;
    final SelectedItems items;
    final int from; // the file's items are [from, to) of items, by doc id
    final int to;
    int found; // selected documents met

    // the row group being read
    TokenizedFile.RowGroup rowGroup;
    long[] docIds;
    int row = -1; // index of the current row in docIds
    int selected = -1; // the current row's first item, or -1
    int[] carry = new int[1 << 12];
    int carryLen;
    byte[] rep = new byte[0];
    byte[] def = new byte[0];
    int[] starts = new int[0];

    FileScan(String path, SelectedItems items, int from, int to) throws IOException {
      this.file = TokenizedFile.open(conf.value(), path, TokenizedFile.Columns.IDS);
      this.items = items;
      this.from = from;
      this.to = to;
    }

    /** The fragments completed by the next page or row group; null at the end of the file. */
    List<RowFragment> next() throws IOException {
      List<RowFragment> out = new ArrayList<>();
      while (out.isEmpty()) {
        if (rowGroup == null) {
          rowGroup = file.nextRowGroup();
          if (rowGroup == null) {
            checkAllFound();
            return null;
          }
          docIds = rowGroup.docIds();
          // Counted as they are read (a page at a time for the ids), for the live progress line.
          progress.add(docIds.length, 0);
          row = -1;
          carryLen = 0;
          if (!rowGroup.idsByPage()) {
            valueByValue(rowGroup.idsValues(), out);
            rowGroup = null;
            continue;
          }
        }
        DataPageV1 page = rowGroup.nextIdsPage();
        if (page == null) {
          endRow(out);
          if (row + 1 != docIds.length) {
            throw new IllegalStateException(
                file.path() + ": " + (row + 1) + " lists of ids but " + docIds.length + " doc ids");
          }
          rowGroup = null;
          continue;
        }
        readPage(page, out);
      }
      return out;
    }

    private void checkAllFound() {
      int documents = 0;
      for (int i = from; i < to; i++) {
        if (i == from || items.docId(i) != items.docId(i - 1)) {
          documents++;
        }
      }
      if (found != documents) {
        throw new IllegalStateException(
            file.path()
                + ": "
                + documents
                + " selected documents but "
                + found
                + " found in the file; the tokenized dataset changed after selection?");
      }
    }

    private void readPage(DataPageV1 page, List<RowFragment> out) throws IOException {
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
      int rowCount = ParquetLevels.rowStarts(buf, starts, n);
      if (ParquetLevels.allOnes(buf, n)) {
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
      ParquetLevels.levels(buf, rep, n);
      ParquetLevels.levels(buf, def, n);
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
            file.path() + ": more lists of ids than the " + docIds.length + " doc ids");
      }
      selected = items.firstOf(docIds[row], from, to);
    }

    /** Appends values [from, to) of the page to the current row if it is selected. */
    private void keep(IntBuffer values, int begin, int end) {
      if (selected < 0 || end <= begin) {
        return;
      }
      int len = end - begin;
      if (carryLen + len > carry.length) {
        carry = Arrays.copyOf(carry, Math.max(carryLen + len, 2 * carry.length));
      }
      values.get(begin, carry, carryLen, len);
      carryLen += len;
    }

    private void endRow(List<RowFragment> out) {
      if (row >= 0 && selected >= 0) {
        fragments(selected, carry, carryLen, out);
      }
      carryLen = 0;
      selected = -1;
    }

    /** Any encoding, through parquet-mr's column reader: one value at a time. */
    private void valueByValue(ColumnReaderImpl cr, List<RowFragment> out) {
      long total = cr.getTotalValueCount();
      long values = 0;
      int r = -1;
      int sel = -1;
      int len = 0;
      for (long i = 0; i < total; i++) {
        if (cr.getCurrentRepetitionLevel() == 0) {
          if (r >= 0 && sel >= 0) {
            fragments(sel, carry, len, out);
          }
          r++;
          sel = items.firstOf(docIds[r], from, to);
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
        fragments(sel, carry, len, out);
      }
      progress.add(0, values);
      if (r + 1 != docIds.length) {
        throw new IllegalStateException(
            file.path() + ": " + (r + 1) + " lists of ids but " + docIds.length + " doc ids");
      }
    }

    /**
     * Adds the fragments of the items of the document whose first item is {@code first} to out; its
     * ids are ids[0, n), which the fragments copy. Fragments of rows past the last written row (a
     * dropped partial tail) are left out.
     */
    private void fragments(int first, int[] ids, int n, List<RowFragment> out) {
      found++;
      long doc = items.docId(first);
      int before = out.size();
      for (int i = first; i < to && items.docId(i) == doc; i++) {
        if (items.fromToken(i) + (long) items.tokens(i) > n) {
          throw new IllegalStateException(
              file.path()
                  + ": document "
                  + doc
                  + " has "
                  + n
                  + " ids but its item needs ["
                  + items.fromToken(i)
                  + ", +"
                  + items.tokens(i)
                  + ")");
        }
        PackItem item =
            new PackItem(
                doc,
                items.domain(i),
                items.piece(i),
                items.copy(i),
                ids,
                items.fromToken(i),
                items.tokens(i));
        for (RowFragment f : RowFragment.split(item, items.start(i), seqLen, items.part(i))) {
          if (f.row() < rows) {
            out.add(f);
          }
        }
      }
      EvalPool pool = evalPool.value();
      if (out.size() > before && pool.size() > 0 && pool.contains(ids, n)) {
        duplicates.add(new Duplicate(doc, items.domain(first), n));
      }
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }
}
