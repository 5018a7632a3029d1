package dev.longmix.jobs.fast;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.execution.datasources.parquet.SparkToParquetSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's Parquet data source with {@link DirectParquetWriter} as the file writer: {@code
 * df.write().format(DirectParquetFormat.NAME)...save(path)}. Everything else is Spark's: the commit
 * protocol (and the S3A committer that {@link CloudCommit} configures), task retries, file naming,
 * and reading, which is plain {@code spark.read().parquet(...)}.
 */
public class DirectParquetFormat extends ParquetFileFormat {
  private static final long serialVersionUID = 1L;

  /** The name to pass to {@code DataFrameWriter.format}. */
  public static final String NAME = DirectParquetFormat.class.getName();

  static final String ROW_METADATA_KEY = "org.apache.spark.sql.parquet.row.metadata";
  static final String SPARK_VERSION_KEY = "org.apache.spark.version";

  @Override
  public OutputWriterFactory prepareWrite(
      SparkSession session,
      Job job,
      scala.collection.immutable.Map<String, String> options,
      StructType dataSchema) {
    // Spark's own preparation sets what the commit protocol reads from the job (the Parquet
    // output committer class, the codec); its writer factory is not used.
    super.prepareWrite(session, job, options, dataSchema);
    String parquetSchema =
        new SparkToParquetSchemaConverter(SQLConf.get()).convert(dataSchema).toString();
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(SPARK_VERSION_KEY, session.version().replaceAll("-.*", ""));
    metadata.put(ROW_METADATA_KEY, dataSchema.json());
    return new Factory(parquetSchema, metadata);
  }

  private static final class Factory extends OutputWriterFactory {
    private static final long serialVersionUID = 1L;
    private final String parquetSchema;
    private final LinkedHashMap<String, String> metadata;

    Factory(String parquetSchema, Map<String, String> metadata) {
      this.parquetSchema = parquetSchema;
      this.metadata = new LinkedHashMap<>(metadata);
    }

    @Override
    public String getFileExtension(TaskAttemptContext context) {
      return DirectParquetWriter.Settings.from(context.getConfiguration()).codec().getExtension()
          + ".parquet";
    }

    @Override
    public OutputWriter newInstance(
        String path, StructType dataSchema, TaskAttemptContext context) {
      try {
        DirectParquetWriter w =
            new DirectParquetWriter(
                context.getConfiguration(),
                new Path(path),
                dataSchema,
                MessageTypeParser.parseMessageType(parquetSchema),
                DirectParquetWriter.Settings.from(context.getConfiguration()),
                metadata);
        return new Writer(path, w);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static final class Writer extends OutputWriter {
    private final String path;
    private final DirectParquetWriter writer;

    Writer(String path, DirectParquetWriter writer) {
      this.path = path;
      this.writer = writer;
    }

    @Override
    public void write(InternalRow row) {
      try {
        writer.write(row);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String path() {
      return path;
    }
  }
}
