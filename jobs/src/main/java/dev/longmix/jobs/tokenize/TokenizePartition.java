package dev.longmix.jobs.tokenize;

import dev.longmix.common.corpus.JsonRecordParser;
import dev.longmix.common.corpus.ParsedLine;
import dev.longmix.common.corpus.RejectReason;
import dev.longmix.common.tokenizer.HfTokenizer;
import dev.longmix.jobs.spark.HadoopConf;
import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The tokenize task: streams its files line by line and yields one row per document, lazily, so a
 * task holds one document's ids at a time whatever the file size. Rejections are only counted here
 * ({@link TokenizeCounters}); the rejects pass re-reads just the files that had any and records
 * each one with its reason, so nothing is lost and clean files are read once.
 */
public final class TokenizePartition implements FlatMapFunction<Iterator<InputFile>, InternalRow> {
  private static final long serialVersionUID = 1L;

  private final HadoopConf conf;
  private final TokenizeSettings settings;
  private final Broadcast<String> tokenizerJson;
  private final TokenizeCounters counters;

  public TokenizePartition(
      HadoopConf conf,
      TokenizeSettings settings,
      Broadcast<String> tokenizerJson,
      TokenizeCounters counters) {
    this.conf = conf;
    this.settings = settings;
    this.tokenizerJson = tokenizerJson;
    this.counters = counters;
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InputFile> files) {
    return new Documents(files, settings.tokenizer(tokenizerJson));
  }

  /**
   * The documents of a task's files, one line at a time: each line a row or a counted reject, a
   * file that cannot be opened or breaks mid-stream one reject, the counters updated per file.
   */
  private final class Documents implements Iterator<InternalRow> {
    private final Iterator<InputFile> files;
    private final HfTokenizer tokenizer;
    private final JsonRecordParser parser = new JsonRecordParser(settings.fields());
    private LineSource source;
    private InputFile file;
    private UTF8String relative;
    private long fileRejects;
    private long bytesReported;
    private long[] memoBase;
    private InternalRow next;

    Documents(Iterator<InputFile> files, HfTokenizer tokenizer) {
      this.files = files;
      this.tokenizer = tokenizer;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        if (source == null) {
          if (!files.hasNext()) {
            return false;
          }
          file = files.next();
          relative = UTF8String.fromString(file.relative());
          fileRejects = 0;
          bytesReported = 0;
          memoBase = tokenizer.memoCounts(); // this thread's, like the file's work
          try {
            source = new LineSource(conf.get(), file);
          } catch (IOException | RuntimeException e) {
            reject(RejectReason.UNREADABLE_FILE, 0, null);
            finishFile();
            continue;
          }
        }
        try {
          if (!source.lines.next()) {
            finishFile();
            continue;
          }
        } catch (IOException | RuntimeException e) {
          reject(RejectReason.CORRUPT_FILE, source.lines.lineNumber() + 1, null);
          finishFile();
          continue;
        }
        next = process();
      }
      return true;
    }

    private InternalRow process() {
      byte[] buf = source.lines.buffer();
      int start = source.lines.start();
      int len = source.lines.length();
      long line = source.lines.lineNumber();
      ParsedLine parsed = parser.parse(buf, start, len, file.domain());
      if (parsed instanceof ParsedLine.Rejected r) {
        reject(r.reason(), line, null);
        return null;
      }
      ParsedLine.Document doc = (ParsedLine.Document) parsed;
      int[] ids;
      try {
        ids = tokenizer.encode(doc.text());
      } catch (RuntimeException e) {
        reject(RejectReason.TOKENIZER_ERROR, line, String.valueOf(e.getMessage()));
        return null;
      }
      counters.read.add(1);
      counters.document(doc.domain(), ids.length, doc.text().length());
      long consumed = source.bytesRead();
      counters.bytes.add(consumed - bytesReported);
      bytesReported = consumed;
      return DocumentRow.of(
          file.relative(), relative, line, doc.domain(), doc.text().length(), ids);
    }

    private void reject(RejectReason reason, long line, String tokenizerDetail) {
      counters.read.add(1);
      counters.rejected.add(1);
      fileRejects++;
      if (tokenizerDetail != null) {
        counters.tokenizerErrors.add(
            new RejectRecord(file.relative(), line, reason.code(), tokenizerDetail, ""));
      }
    }

    private void finishFile() {
      if (source != null) {
        try {
          source.close();
        } catch (IOException e) {
          // The file was fully read or already reported as corrupt; a close error adds
          // nothing.
        }
      }
      counters.bytes.add(file.bytes() - bytesReported);
      bytesReported = file.bytes();
      source = null;
      counters.files.add(1);
      long[] memo = tokenizer.memoCounts();
      counters.words.add(memo[0] - memoBase[0]);
      counters.wordsMemoized.add(memo[1] - memoBase[1]);
      if (fileRejects > 0) {
        counters.filesWithRejects.add(file.index());
      }
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      InternalRow r = next;
      next = null;
      return r;
    }
  }
}
