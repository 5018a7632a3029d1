package dev.longmix.jobs.fast;

import dev.longmix.jobs.spark.HadoopConf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import org.apache.parquet.VersionParser;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * One file of a tokenized dataset read through parquet-mr's column readers and pages, below its
 * record API: pack reads every document's (doc_id, domain, n_tokens) and then the selected
 * documents' ids without assembling records or decoding the ids of documents it drops (see {@link
 * ParquetLevels}). It expects what tokenize writes (required doc_id int64, domain string, n_tokens
 * int32, input_ids list of required int32) and says so, naming the file, when a file differs.
 *
 * <p>Part of the fenced fast paths ({@code FastPathsContractTest} checks them against Spark's own
 * reader on every Spark line the build supports).
 */
public final class TokenizedFile implements AutoCloseable {
  /** The columns a reader asks for. */
  public enum Columns {
    /** doc_id, domain, n_tokens: what selection needs. */
    META,
    /** doc_id and input_ids: what the ids pass needs. */
    IDS
  }

  private static final EnumSet<Encoding> PAGE_ENCODINGS =
      EnumSet.of(Encoding.PLAIN, Encoding.RLE, Encoding.BIT_PACKED);

  private final String path;
  private final ParquetFileReader reader;
  private final ColumnDescriptor docCol;
  private final ColumnDescriptor domainCol;
  private final ColumnDescriptor tokensCol;
  private final ColumnDescriptor idsCol;
  private final VersionParser.ParsedVersion createdBy;
  private final Iterator<BlockMetaData> blocks;

  private TokenizedFile(String path, ParquetFileReader reader, Columns columns) {
    this.path = path;
    this.reader = reader;
    MessageType schema = reader.getFooter().getFileMetaData().getSchema();
    docCol = column(schema, PrimitiveTypeName.INT64, 0, 0, "doc_id");
    List<Type> wanted = new ArrayList<>(List.of(schema.getType("doc_id")));
    if (columns == Columns.META) {
      domainCol = column(schema, PrimitiveTypeName.BINARY, 0, 0, "domain");
      tokensCol = column(schema, PrimitiveTypeName.INT32, 0, 0, "n_tokens");
      idsCol = null;
      wanted.add(schema.getType("domain"));
      wanted.add(schema.getType("n_tokens"));
    } else {
      domainCol = null;
      tokensCol = null;
      idsCol = column(schema, PrimitiveTypeName.INT32, 1, 1, "input_ids", "list", "element");
      wanted.add(schema.getType("input_ids"));
    }
    reader.setRequestedSchema(new MessageType(schema.getName(), wanted));
    VersionParser.ParsedVersion v;
    try {
      v = VersionParser.parse(reader.getFooter().getFileMetaData().getCreatedBy());
    } catch (Exception e) {
      v = null; // only used to work around old writers' bugs; tokenize's files name parquet-mr
    }
    createdBy = v;
    blocks = reader.getFooter().getBlocks().iterator();
  }

  /** Opens {@code path} for {@code columns}. */
  public static TokenizedFile open(HadoopConf conf, String path, Columns columns)
      throws IOException {
    ParquetFileReader reader = conf.openParquet(path);
    try {
      return new TokenizedFile(path, reader, columns);
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  private ColumnDescriptor column(
      MessageType schema, PrimitiveTypeName type, int maxRep, int maxDef, String... at) {
    String dotted = String.join(".", at);
    if (!schema.containsPath(at)) {
      throw new IllegalStateException(
          path + ": no column " + dotted + "; not a tokenized dataset (longmix tokenize's output)");
    }
    ColumnDescriptor c = schema.getColumnDescription(at);
    if (c.getPrimitiveType().getPrimitiveTypeName() != type
        || c.getMaxRepetitionLevel() != maxRep
        || c.getMaxDefinitionLevel() != maxDef) {
      throw new IllegalStateException(
          path
              + ": column "
              + dotted
              + " is not the required "
              + type
              + (maxRep > 0 ? " list" : "")
              + " tokenize writes");
    }
    return c;
  }

  public String path() {
    return path;
  }

  /** Every document's (doc_id, domain, n_tokens), the domains interned in a small table. */
  public record Meta(long[] docIds, int[] nTokens, short[] domain, String[] domains) {}

  /** Reads the META columns of the whole file. */
  public Meta meta() throws IOException {
    long[] ids = new long[0];
    int[] tokens = new int[0];
    short[] dom = new short[0];
    HashMap<Binary, Short> index = new HashMap<>();
    List<String> names = new ArrayList<>();
    int n = 0;
    RowGroup rg;
    while ((rg = nextRowGroup()) != null) {
      int rows = rg.rows();
      ids = Arrays.copyOf(ids, n + rows);
      tokens = Arrays.copyOf(tokens, n + rows);
      dom = Arrays.copyOf(dom, n + rows);
      System.arraycopy(rg.docIds(), 0, ids, n, rows);
      ColumnReaderImpl t = values(rg.store, tokensCol);
      ColumnReaderImpl d = values(rg.store, domainCol);
      for (int i = 0; i < rows; i++) {
        tokens[n + i] = t.getInteger();
        t.consume();
        Binary b = d.getBinary();
        Short k = index.get(b);
        if (k == null) {
          if (names.size() == Short.MAX_VALUE) {
            throw new IllegalStateException(path + ": more than " + Short.MAX_VALUE + " domains");
          }
          k = (short) names.size();
          index.put(b.copy(), k);
          names.add(b.toStringUsingUTF8());
        }
        dom[n + i] = k;
        d.consume();
      }
      n += rows;
    }
    return new Meta(ids, tokens, dom, names.toArray(new String[0]));
  }

  /** One row group: its documents' ids, and its ids column by pages or value by value. */
  public final class RowGroup {
    private final PageReadStore store;
    private final BlockMetaData block;
    private final long[] docIds;

    private RowGroup(PageReadStore store, BlockMetaData block) {
      this.store = store;
      this.block = block;
      int n = Math.toIntExact(store.getRowCount());
      docIds = new long[n];
      ColumnReaderImpl cr = values(store, docCol);
      for (int i = 0; i < n; i++) {
        docIds[i] = cr.getLong();
        cr.consume();
      }
    }

    public int rows() {
      return docIds.length;
    }

    /** The row group's doc ids, in row order. */
    public long[] docIds() {
      return docIds;
    }

    /**
     * Whether the ids chunk is one {@link #nextIdsPage} can hand out: V1 data pages of PLAIN values
     * and RLE/bit-packed levels, no dictionary, as tokenize writes it. Otherwise read it with
     * {@link #idsValues}.
     */
    public boolean idsByPage() {
      for (ColumnChunkMetaData c : block.getColumns()) {
        if (c.getPath().toDotString().equals("input_ids.list.element")) {
          return !c.hasDictionaryPage()
              && PAGE_ENCODINGS.containsAll(c.getEncodings())
              && (c.getEncodingStats() == null || !c.getEncodingStats().usesV2Pages());
        }
      }
      return false;
    }

    private org.apache.parquet.column.page.PageReader pages;

    /** The next page of the ids column, or null after the last; only when {@link #idsByPage}. */
    public DataPageV1 nextIdsPage() {
      if (pages == null) {
        pages = store.getPageReader(idsCol);
      }
      DataPage page = pages.readPage();
      if (page == null) {
        return null;
      }
      DataPageV1 v1 = (DataPageV1) page;
      if (v1.getValueEncoding() != Encoding.PLAIN
          || v1.getRlEncoding() != Encoding.RLE
          || v1.getDlEncoding() != Encoding.RLE) {
        throw new IllegalStateException(
            path
                + ": ids page encoded "
                + v1.getValueEncoding()
                + "/"
                + v1.getRlEncoding()
                + "/"
                + v1.getDlEncoding()
                + " though its column chunk listed only "
                + PAGE_ENCODINGS);
      }
      return v1;
    }

    /** The ids column value by value, any encoding. */
    public ColumnReaderImpl idsValues() {
      return values(store, idsCol);
    }
  }

  /**
   * The next row group, or null after the last. parquet-mr's reader passes over empty row groups;
   * so does this walk of the footer, and the two must agree on every row group's row count.
   */
  public RowGroup nextRowGroup() throws IOException {
    BlockMetaData block = null;
    while (block == null && blocks.hasNext()) {
      BlockMetaData b = blocks.next();
      block = b.getRowCount() > 0 ? b : null;
    }
    PageReadStore rg = reader.readNextRowGroup();
    if (block == null || rg == null) {
      if (block != null || rg != null) {
        throw new IllegalStateException(path + ": row groups out of step with the footer");
      }
      return null;
    }
    if (rg.getRowCount() != block.getRowCount()) {
      throw new IllegalStateException(
          path
              + ": row group of "
              + rg.getRowCount()
              + " rows where the footer lists "
              + block.getRowCount());
    }
    return new RowGroup(rg, block);
  }

  private ColumnReaderImpl values(PageReadStore store, ColumnDescriptor c) {
    return new ColumnReaderImpl(c, store.getPageReader(c), new PrimitiveConverter() {}, createdBy);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
