package dev.longmix.jobs.evalset;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Small Parquet files written on the driver through parquet-mr's record consumer: the needle
 * prompts (built one at a time, never all in memory) and the holdout record's list of documents.
 * Lists are written in Parquet's standard three-level form, which pyarrow, Spark and DuckDB read as
 * {@code list<int32>}.
 */
final class ParquetRows {
  private ParquetRows() {}

  /** Writes one row's fields. */
  @FunctionalInterface
  interface Fields<T> {
    void write(T row, RecordConsumer c);
  }

  /** A writer of {@code schema} rows to {@code file} (replaced), zstd-compressed. */
  static <T> ParquetWriter<T> writer(
      Configuration conf, Path file, MessageType schema, Fields<T> fields) throws IOException {
    return new Builder<>(HadoopOutputFile.fromPath(file, conf), new Support<>(schema, fields))
        .withConf(conf)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withCompressionCodec(CompressionCodecName.ZSTD)
        .withDictionaryEncoding(false)
        .build();
  }

  static void field(RecordConsumer c, String name, int index, int value) {
    c.startField(name, index);
    c.addInteger(value);
    c.endField(name, index);
  }

  static void field(RecordConsumer c, String name, int index, long value) {
    c.startField(name, index);
    c.addLong(value);
    c.endField(name, index);
  }

  static void field(RecordConsumer c, String name, int index, double value) {
    c.startField(name, index);
    c.addDouble(value);
    c.endField(name, index);
  }

  static void field(RecordConsumer c, String name, int index, String value) {
    c.startField(name, index);
    c.addBinary(Binary.fromString(value));
    c.endField(name, index);
  }

  /** A {@code required group NAME (LIST) { repeated group list { required int32 element; } }}. */
  static void field(RecordConsumer c, String name, int index, int[] values) {
    c.startField(name, index);
    c.startGroup();
    if (values.length > 0) {
      c.startField("list", 0);
      for (int v : values) {
        c.startGroup();
        c.startField("element", 0);
        c.addInteger(v);
        c.endField("element", 0);
        c.endGroup();
      }
      c.endField("list", 0);
    }
    c.endGroup();
    c.endField(name, index);
  }

  /** The schema text of a list of ids. */
  static String idsList(String name) {
    return "required group " + name + " (LIST) { repeated group list { required int32 element; } }";
  }

  private static final class Support<T> extends WriteSupport<T> {
    private final MessageType schema;
    private final Fields<T> fields;
    private RecordConsumer consumer;

    Support(MessageType schema, Fields<T> fields) {
      this.schema = schema;
      this.fields = fields;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, Map.of("writer", "longmix"));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      consumer = recordConsumer;
    }

    @Override
    public void write(T record) {
      consumer.startMessage();
      fields.write(record, consumer);
      consumer.endMessage();
    }
  }

  private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
    private final WriteSupport<T> support;

    Builder(org.apache.parquet.io.OutputFile file, WriteSupport<T> support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder<T> self() {
      return this;
    }

    @Override
    protected WriteSupport<T> getWriteSupport(Configuration conf) {
      return support;
    }
  }
}
