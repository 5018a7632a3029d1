package dev.longmix.jobs.pack;

import dev.longmix.jobs.fast.TokenizedFile;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.StageProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * Selection's read: (doc_id, domain, n_tokens) of every document of a group of tokenized files, one
 * {@link DocMeta} per file. Read from the files' pages by {@link TokenizedFile} rather than Spark's
 * scan so each document keeps the file it is in: the ids pass then reads each file with exactly its
 * own documents' items, with no join, whatever the size of the selection.
 */
final class MetaScan implements FlatMapFunction<Iterator<int[]>, DocMeta> {
  private static final long serialVersionUID = 1L;
  private final Broadcast<HadoopConf> conf;
  private final Broadcast<List<String>> files;
  private final StageProgress.Pass progress;

  MetaScan(Broadcast<HadoopConf> conf, Broadcast<List<String>> files, StageProgress.Pass progress) {
    this.conf = conf;
    this.files = files;
    this.progress = progress;
  }

  @Override
  public Iterator<DocMeta> call(Iterator<int[]> groups) {
    List<DocMeta> out = new ArrayList<>();
    while (groups.hasNext()) {
      for (int f : groups.next()) {
        out.add(read(f));
      }
    }
    return out.iterator();
  }

  private DocMeta read(int f) {
    String path = files.value().get(f);
    try (TokenizedFile file = TokenizedFile.open(conf.value(), path, TokenizedFile.Columns.META)) {
      TokenizedFile.Meta meta = file.meta();
      long tokens = 0;
      for (int n : meta.nTokens()) {
        tokens += n;
      }
      progress.add(meta.docIds().length, tokens);
      return new DocMeta(f, meta.docIds(), meta.nTokens(), meta.domain(), meta.domains());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
