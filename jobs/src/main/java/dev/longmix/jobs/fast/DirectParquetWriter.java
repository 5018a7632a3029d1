package dev.longmix.jobs.fast;

import dev.longmix.jobs.compat.IntPages;
import dev.longmix.jobs.compat.ParquetFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriteStore;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.IntStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecializedGetters;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes Catalyst rows to one Parquet file through parquet-mr's column writers, without its record
 * assembly ({@code MessageColumnIO}) and without its byte-at-a-time PLAIN int encoder.
 *
 * <p>Why: our outputs are mostly token ids, tens of thousands per row. Spark's writer hands every
 * element of a list to parquet-mr as start-group / start-field / add / end-field / end-group, and
 * the record consumer tracks fields with a BitSet per group; parquet-mr's PLAIN encoder then writes
 * each int as four single-byte writes. Profiled on the pack stage that was ~110 ns per id, a third
 * of the stage's CPU. Here lists of ints without a dictionary (the ids) are written a page at a
 * time ({@link IntListPages}); every other leaf value is one {@link ColumnWriter#write} call with
 * its repetition and definition level.
 *
 * <p>The file is what Spark's own writer makes of the same rows: the Parquet schema comes from
 * Spark's converter, the same key-value metadata (Spark version, row schema), the same page and
 * row-group thresholds, dictionary settings and codec; any Parquet reader reads it. Supported
 * shapes, all non-null (the writer refuses others when built): top-level int, long, boolean and
 * string fields; arrays of those; arrays of structs of those.
 */
public final class DirectParquetWriter implements Closeable {
  /** What governs the file's layout, read from the task's Hadoop configuration. */
  public record Settings(
      CompressionCodecName codec,
      long rowGroupBytes,
      int pageBytes,
      int pageRowCheckMin,
      int pageRowCheckMax,
      int maxPaddingBytes,
      boolean dictionaryDefault) {

    /** Parquet's own keys and defaults, as Spark's writer reads them. */
    public static Settings from(Configuration conf) {
      return new Settings(
          CompressionCodecName.valueOf(
              conf.get("parquet.compression", "UNCOMPRESSED").toUpperCase(java.util.Locale.ROOT)),
          conf.getLong("parquet.block.size", 128L << 20),
          conf.getInt("parquet.page.size", 1 << 20),
          conf.getInt("parquet.page.size.row.check.min", 100),
          conf.getInt("parquet.page.size.row.check.max", 10_000),
          conf.getInt("parquet.writer.max-padding", 8 << 20),
          conf.getBoolean("parquet.enable.dictionary", true));
    }
  }

  private final MessageType parquetSchema;
  private final ParquetProperties props;
  private final ParquetFileWriter file;
  private final CodecFactory codecs;
  private final CodecFactory.BytesCompressor compressor;
  private final Map<String, String> metadata;
  private final long rowGroupBytes;
  private final Field[] fields;

  /** The schema less the columns whose fields write their own pages ({@link IntListPages}). */
  private final MessageType storeSchema;

  private ColumnChunkPageWriteStore pages;
  private ColumnWriteStore columns;
  private long rowsInGroup;
  private boolean closed;

  public DirectParquetWriter(
      Configuration conf,
      Path path,
      StructType schema,
      MessageType parquetSchema,
      Settings settings,
      Map<String, String> metadata)
      throws IOException {
    this.parquetSchema = parquetSchema;
    this.metadata = metadata;
    this.rowGroupBytes = settings.rowGroupBytes();
    ParquetProperties.Builder b =
        ParquetProperties.builder()
            .withPageSize(settings.pageBytes())
            .withDictionaryPageSize(settings.pageBytes())
            .withDictionaryEncoding(settings.dictionaryDefault())
            .withMinRowCountForPageSizeCheck(settings.pageRowCheckMin())
            .withMaxRowCountForPageSizeCheck(settings.pageRowCheckMax());
    for (ColumnDescriptor c : parquetSchema.getColumns()) {
      String p = String.join(".", c.getPath());
      String v = conf.get("parquet.enable.dictionary#" + p);
      if (v != null) {
        b.withDictionaryEncoding(p, Boolean.parseBoolean(v));
      }
    }
    this.props = b.build();
    this.fields = bind(schema, parquetSchema, props);
    this.storeSchema = withoutPageColumns(parquetSchema, fields);
    this.file =
        ParquetFiles.create(
            HadoopOutputFile.fromPath(path, conf),
            parquetSchema,
            settings.rowGroupBytes(),
            settings.maxPaddingBytes(),
            props);
    this.codecs = new CodecFactory(conf, settings.pageBytes());
    this.compressor = codecs.getCompressor(settings.codec());
    file.start();
    newRowGroup();
  }

  /** Writes one row; its fields must match the schema the writer was built with. */
  public void write(InternalRow row) throws IOException {
    for (Field f : fields) {
      f.write(row);
    }
    columns.endRecord();
    rowsInGroup++;
    long buffered = columns.getBufferedSize();
    for (Field f : fields) {
      buffered += f.bufferedBytes();
    }
    if (buffered >= rowGroupBytes) {
      flushRowGroup();
      newRowGroup();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      flushRowGroup();
      file.end(metadata);
    } finally {
      codecs.release();
    }
  }

  private void newRowGroup() {
    pages =
        new ColumnChunkPageWriteStore(
            compressor,
            parquetSchema,
            props.getAllocator(),
            props.getColumnIndexTruncateLength(),
            props.getPageWriteChecksumEnabled());
    columns = props.newColumnWriteStore(storeSchema, pages, pages);
    for (Field f : fields) {
      f.bind(columns, pages);
    }
  }

  private void flushRowGroup() throws IOException {
    try {
      if (rowsInGroup > 0) {
        file.startBlock(rowsInGroup);
        columns.flush();
        for (Field f : fields) {
          f.flush();
        }
        pages.flushToFileWriter(file);
        file.endBlock();
        rowsInGroup = 0;
      }
    } finally {
      columns.close();
      ParquetFiles.release(pages);
    }
  }

  // ---- schema binding -------------------------------------------------------------------------

  /** Leaf columns in the order Parquet lists them, which is the order of the struct's fields. */
  private static Field[] bind(
      StructType schema, MessageType parquetSchema, ParquetProperties props) {
    List<ColumnDescriptor> cols = parquetSchema.getColumns();
    int[] next = {0};
    List<Field> out = new ArrayList<>();
    for (int i = 0; i < schema.fields().length; i++) {
      StructField sf = schema.fields()[i];
      requireNonNull(sf.nullable(), sf.name());
      DataType t = sf.dataType();
      if (t instanceof ArrayType at) {
        requireNonNull(at.containsNull(), sf.name() + "[]");
        if (at.elementType() instanceof StructType st) {
          Leaf[] leaves = new Leaf[st.fields().length];
          for (int j = 0; j < leaves.length; j++) {
            StructField ef = st.fields()[j];
            requireNonNull(ef.nullable(), sf.name() + "[]." + ef.name());
            leaves[j] = leaf(ef.dataType(), j, column(cols, next, 1, 1, sf.name()), sf.name());
          }
          out.add(new StructArray(i, st.fields().length, leaves));
        } else {
          ColumnDescriptor c = column(cols, next, 1, 1, sf.name());
          if (at.elementType() instanceof IntegerType
              && !props.isDictionaryEnabled(c)
              && props.getWriterVersion() == ParquetProperties.WriterVersion.PARQUET_1_0) {
            out.add(new IntListPages(i, c, props));
          } else {
            out.add(new PrimitiveArray(i, leaf(at.elementType(), -1, c, sf.name())));
          }
        }
      } else {
        out.add(new Top(i, leaf(t, i, column(cols, next, 0, 0, sf.name()), sf.name())));
      }
    }
    if (next[0] != cols.size()) {
      throw new IllegalArgumentException(
          "Parquet schema has " + cols.size() + " leaf columns, the row schema " + next[0]);
    }
    return out.toArray(new Field[0]);
  }

  private static ColumnDescriptor column(
      List<ColumnDescriptor> cols, int[] next, int maxRep, int maxDef, String field) {
    ColumnDescriptor c = cols.get(next[0]++);
    if (c.getMaxRepetitionLevel() != maxRep || c.getMaxDefinitionLevel() != maxDef) {
      throw new IllegalArgumentException(
          "field "
              + field
              + ": Parquet column "
              + Arrays.toString(c.getPath())
              + " has levels (rep "
              + c.getMaxRepetitionLevel()
              + ", def "
              + c.getMaxDefinitionLevel()
              + "), expected ("
              + maxRep
              + ", "
              + maxDef
              + ")");
    }
    return c;
  }

  private static void requireNonNull(boolean nullable, String field) {
    if (nullable) {
      throw new IllegalArgumentException(
          "field " + field + " is nullable; this writer writes non-null fields only");
    }
  }

  private static Leaf leaf(DataType t, int ordinal, ColumnDescriptor c, String field) {
    if (t instanceof IntegerType) {
      return new IntLeaf(c, ordinal);
    } else if (t instanceof LongType) {
      return new LongLeaf(c, ordinal);
    } else if (t instanceof BooleanType) {
      return new BooleanLeaf(c, ordinal);
    } else if (t instanceof StringType) {
      return new StringLeaf(c, ordinal);
    }
    throw new IllegalArgumentException("field " + field + ": type " + t + " is not supported");
  }

  /** One top-level field of the row. */
  private abstract static class Field {
    /** Called for every row group with its stores. */
    abstract void bind(ColumnWriteStore store, PageWriteStore pages);

    abstract void write(InternalRow row) throws IOException;

    /** Bytes held for the current row group outside the column store. */
    long bufferedBytes() {
      return 0;
    }

    /** Writes what it holds to its page writer before the row group is flushed. */
    void flush() throws IOException {}

    /** The column this field writes pages of itself, else null. */
    ColumnDescriptor pageColumn() {
      return null;
    }
  }

  /** One leaf column: reads a value at an ordinal and writes it with the given levels. */
  private abstract static class Leaf {
    final ColumnDescriptor descriptor;
    final int ordinal;
    ColumnWriter w;

    Leaf(ColumnDescriptor descriptor, int ordinal) {
      this.descriptor = descriptor;
      this.ordinal = ordinal;
    }

    void bind(ColumnWriteStore store) {
      w = store.getColumnWriter(descriptor);
    }

    abstract void write(SpecializedGetters from, int at, int rep, int def);
  }

  private static final class IntLeaf extends Leaf {
    IntLeaf(ColumnDescriptor d, int o) {
      super(d, o);
    }

    @Override
    void write(SpecializedGetters from, int at, int rep, int def) {
      w.write(from.getInt(at), rep, def);
    }
  }

  private static final class LongLeaf extends Leaf {
    LongLeaf(ColumnDescriptor d, int o) {
      super(d, o);
    }

    @Override
    void write(SpecializedGetters from, int at, int rep, int def) {
      w.write(from.getLong(at), rep, def);
    }
  }

  private static final class BooleanLeaf extends Leaf {
    BooleanLeaf(ColumnDescriptor d, int o) {
      super(d, o);
    }

    @Override
    void write(SpecializedGetters from, int at, int rep, int def) {
      w.write(from.getBoolean(at), rep, def);
    }
  }

  private static final class StringLeaf extends Leaf {
    StringLeaf(ColumnDescriptor d, int o) {
      super(d, o);
    }

    @Override
    void write(SpecializedGetters from, int at, int rep, int def) {
      // A copy: dictionary encoders keep the values they have seen.
      w.write(Binary.fromConstantByteArray(from.getUTF8String(at).getBytes()), rep, def);
    }
  }

  private static final class Top extends Field {
    final int ordinal;
    final Leaf leaf;

    Top(int ordinal, Leaf leaf) {
      this.ordinal = ordinal;
      this.leaf = leaf;
    }

    @Override
    void bind(ColumnWriteStore store, PageWriteStore pages) {
      leaf.bind(store);
    }

    @Override
    void write(InternalRow row) {
      leaf.write(row, ordinal, 0, 0);
    }
  }

  /**
   * A list of primitives. Levels for Spark's three-level list: the first element of a row at
   * repetition 0, the others at 1, all at definition 1; an empty list is one null at (0, 0).
   */
  private static final class PrimitiveArray extends Field {
    final int ordinal;
    final Leaf leaf;

    PrimitiveArray(int ordinal, Leaf leaf) {
      this.ordinal = ordinal;
      this.leaf = leaf;
    }

    @Override
    void bind(ColumnWriteStore store, PageWriteStore pages) {
      leaf.bind(store);
    }

    @Override
    void write(InternalRow row) {
      ArrayData a = row.getArray(ordinal);
      int n = a.numElements();
      if (n == 0) {
        leaf.w.writeNull(0, 0);
        return;
      }
      for (int i = 0; i < n; i++) {
        leaf.write(a, i, i == 0 ? 0 : 1, 1);
      }
    }
  }

  /** A list of structs: each of the struct's fields is its own leaf column. */
  private static final class StructArray extends Field {
    final int ordinal;
    final int numFields;
    final Leaf[] leaves;

    StructArray(int ordinal, int numFields, Leaf[] leaves) {
      this.ordinal = ordinal;
      this.numFields = numFields;
      this.leaves = leaves;
    }

    @Override
    void bind(ColumnWriteStore store, PageWriteStore pages) {
      for (Leaf l : leaves) {
        l.bind(store);
      }
    }

    @Override
    void write(InternalRow row) {
      ArrayData a = row.getArray(ordinal);
      int n = a.numElements();
      if (n == 0) {
        for (Leaf l : leaves) {
          l.w.writeNull(0, 0);
        }
        return;
      }
      for (int i = 0; i < n; i++) {
        InternalRow s = a.getStruct(i, numFields);
        int rep = i == 0 ? 0 : 1;
        for (Leaf l : leaves) {
          l.write(s, l.ordinal, rep, 1);
        }
      }
    }
  }

  /** The schema without the columns that fields write pages of themselves. */
  private static MessageType withoutPageColumns(MessageType schema, Field[] fields) {
    java.util.Set<String> own = new java.util.HashSet<>();
    for (Field f : fields) {
      if (f.pageColumn() != null) {
        own.add(f.pageColumn().getPath()[0]);
      }
    }
    List<Type> kept = new ArrayList<>();
    for (Type t : schema.getFields()) {
      if (!own.contains(t.getName())) {
        kept.add(t);
      }
    }
    return new MessageType(schema.getName(), kept);
  }

  // ---- lists of ints, page by page ------------------------------------------------------------

  /**
   * A non-null list of non-null ints without a dictionary (token ids), written a page at a time
   * instead of a value at a time: the values are copied into an {@code int[]} and become one
   * little-endian PLAIN block per page, and the levels, which for such a list are (0, 1) for a
   * row's first value, (1, 1) for the others and (0, 0) for an empty list, are written as RLE runs
   * (bit width 1), two or three runs per row. Statistics (min, max, nulls), the size statistics'
   * level histograms (where the line's parquet-mr has them: {@link IntPages}) and the page's row
   * count go to parquet-mr's page writer with the page, as its column writer would send them; it
   * compresses, indexes and places the pages.
   */
  private static final class IntListPages extends Field {
    final int ordinal;
    final ColumnDescriptor descriptor;
    final int pageBytes;
    final int pageRowLimit;
    final IntPages pageOut;
    final LevelRuns rep = new LevelRuns();
    final LevelRuns def = new LevelRuns();
    PageWriter pages;
    int[] values = new int[1 << 16];
    int n;
    int valueCount;
    int rowCount;
    int nulls;
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;

    IntListPages(int ordinal, ColumnDescriptor descriptor, ParquetProperties props) {
      this.ordinal = ordinal;
      this.descriptor = descriptor;
      this.pageBytes = props.getPageSizeThreshold();
      this.pageRowLimit = props.getPageRowCountLimit();
      this.pageOut = new IntPages(props, descriptor);
    }

    @Override
    ColumnDescriptor pageColumn() {
      return descriptor;
    }

    @Override
    void bind(ColumnWriteStore store, PageWriteStore pageStore) {
      pages = pageStore.getPageWriter(descriptor);
    }

    @Override
    void write(InternalRow row) throws IOException {
      ArrayData a = row.getArray(ordinal);
      int len = a.numElements();
      if (len == 0) {
        rep.add(0, 1);
        def.add(0, 1);
        valueCount++;
        nulls++;
      } else {
        if (n + len > values.length) {
          values = Arrays.copyOf(values, Math.max(n + len, 2 * values.length));
        }
        int[] v = values;
        int lo = min;
        int hi = max;
        for (int i = 0; i < len; i++) {
          int x = a.getInt(i);
          v[n + i] = x;
          lo = Math.min(lo, x);
          hi = Math.max(hi, x);
        }
        min = lo;
        max = hi;
        n += len;
        rep.add(0, 1);
        if (len > 1) {
          rep.add(1, len - 1);
        }
        def.add(1, len);
        valueCount += len;
      }
      rowCount++;
      if (4L * n + rep.size() + def.size() >= pageBytes || rowCount >= pageRowLimit) {
        flush();
      }
    }

    @Override
    long bufferedBytes() {
      return 4L * n + pages.getMemSize();
    }

    @Override
    void flush() throws IOException {
      if (rowCount == 0) {
        return;
      }
      PrimitiveType type = descriptor.getPrimitiveType();
      IntStatistics stats = (IntStatistics) Statistics.createStats(type);
      if (n > 0) {
        stats.updateStats(min);
        stats.updateStats(max);
      }
      stats.incrementNumNulls(nulls);
      byte[] data = new byte[4 * n];
      ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(values, 0, n);
      BytesInput bytes = BytesInput.concat(rep.bytes(), def.bytes(), BytesInput.from(data));
      pageOut.write(pages, bytes, valueCount, rowCount, nulls, stats);
      n = 0;
      valueCount = 0;
      rowCount = 0;
      nulls = 0;
      min = Integer.MAX_VALUE;
      max = Integer.MIN_VALUE;
    }
  }

  /**
   * Levels of bit width 1 in Parquet's RLE/bit-packing hybrid, as RLE runs only: each run is its
   * count shifted left once as an unsigned LEB128 varint, then the value in one byte; the page
   * holds them behind their 4-byte little-endian length.
   */
  static final class LevelRuns {
    private byte[] buf = new byte[256];
    private int len;
    private int value = -1;
    private int count;

    void add(int v, int c) {
      if (v == value) {
        count += c;
      } else {
        emit();
        value = v;
        count = c;
      }
    }

    /** An upper bound of the encoded size so far. */
    int size() {
      return len + 10;
    }

    BytesInput bytes() {
      emit();
      value = -1;
      byte[] out = new byte[4 + len];
      ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(len);
      System.arraycopy(buf, 0, out, 4, len);
      len = 0;
      return BytesInput.from(out);
    }

    private void emit() {
      if (count == 0) {
        return;
      }
      if (len + 6 > buf.length) {
        buf = Arrays.copyOf(buf, 2 * buf.length);
      }
      long h = (long) count << 1;
      while ((h & ~0x7FL) != 0) {
        buf[len++] = (byte) ((h & 0x7F) | 0x80);
        h >>>= 7;
      }
      buf[len++] = (byte) h;
      buf[len++] = (byte) value;
      count = 0;
    }
  }
}
