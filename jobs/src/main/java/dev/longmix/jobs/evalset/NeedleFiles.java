package dev.longmix.jobs.evalset;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.longmix.common.eval.Haystack;
import dev.longmix.common.eval.NeedleGrid;
import dev.longmix.common.eval.NeedleText;
import dev.longmix.common.tokenizer.TokenDecoder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The needle prompts, built on the driver one at a time (a 128K-token prompt is 512 KB of ids; the
 * authors' grid holds 400) and written as they are built: {@code needle/part-00000.parquet} and
 * {@code needle.jsonl}, the same fields in the same order.
 */
final class NeedleFiles {
  static final String DIR = "needle";
  static final String JSONL = "needle.jsonl";

  static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message needle { required int32 context_length; required double depth_percent; "
              + ParquetRows.idsList("input_ids")
              + " required int32 needle_token_position; required int32 requested_token_position;"
              + " required binary prompt (STRING); required binary question (STRING); "
              + ParquetRows.idsList("question_ids")
              + " required binary answer (STRING); }");

  private NeedleFiles() {}

  /** One row: the prompt and its decoded text. */
  private record Row(Haystack.Prompt p, String text) {}

  /** Writes every grid point's prompt; returns how many. */
  static long write(
      Configuration conf,
      String output,
      Haystack haystack,
      int[] head,
      int[] needleIds,
      int[] questionIds,
      NeedleText text,
      NeedleGrid grid,
      TokenDecoder decoder) {
    Path parquet = new Path(new Path(output, DIR), "part-00000.parquet");
    Path jsonl = new Path(output, JSONL);
    long rows = 0;
    try (ParquetWriter<Row> pw =
            ParquetRows.writer(conf, parquet, SCHEMA, (r, c) -> fields(r, c, questionIds, text));
        OutputStream js = jsonl.getFileSystem(conf).create(jsonl, true);
        JsonGenerator g = new JsonFactory().createGenerator(js, JsonEncoding.UTF8)) {
      for (int length : grid.contextLengths()) {
        for (double depth : grid.depthsPercent()) {
          Haystack.Prompt p = haystack.place(head, needleIds, length, depth);
          Row r = new Row(p, decoder.decode(p.inputIds(), true));
          pw.write(r);
          json(g, r, questionIds, text);
          rows++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the needle prompts to " + output, e);
    }
    return rows;
  }

  private static void fields(
      Row r, org.apache.parquet.io.api.RecordConsumer c, int[] questionIds, NeedleText text) {
    ParquetRows.field(c, "context_length", 0, r.p().contextLength());
    ParquetRows.field(c, "depth_percent", 1, r.p().depthPercent());
    ParquetRows.field(c, "input_ids", 2, r.p().inputIds());
    ParquetRows.field(c, "needle_token_position", 3, r.p().needlePosition());
    ParquetRows.field(c, "requested_token_position", 4, r.p().targetPosition());
    ParquetRows.field(c, "prompt", 5, r.text());
    ParquetRows.field(c, "question", 6, text.question());
    ParquetRows.field(c, "question_ids", 7, questionIds);
    ParquetRows.field(c, "answer", 8, text.answer());
  }

  private static void json(JsonGenerator g, Row r, int[] questionIds, NeedleText text)
      throws IOException {
    g.writeStartObject();
    g.writeNumberField("context_length", r.p().contextLength());
    g.writeNumberField("depth_percent", r.p().depthPercent());
    g.writeFieldName("input_ids");
    g.writeArray(r.p().inputIds(), 0, r.p().inputIds().length);
    g.writeNumberField("needle_token_position", r.p().needlePosition());
    g.writeNumberField("requested_token_position", r.p().targetPosition());
    g.writeStringField("prompt", r.text());
    g.writeStringField("question", text.question());
    g.writeFieldName("question_ids");
    g.writeArray(questionIds, 0, questionIds.length);
    g.writeStringField("answer", text.answer());
    g.writeEndObject();
    g.writeRaw('\n');
  }
}
