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
 * {@link DocMeta} per file, the input's held-out eval pool left out (so no later step can select
 * it). Read from the files' pages by {@link TokenizedFile} rather than Spark's scan so each
 * document keeps the file it is in: the ids pass then reads each file with exactly its own
 * documents' items, with no join, whatever the size of the selection.
 */
final class MetaScan implements FlatMapFunction<Iterator<int[]>, DocMeta> {
  private static final long serialVersionUID = 1L;
  private final Broadcast<HadoopConf> conf;
  private final Broadcast<List<String>> files;
  private final StageProgress.Pass progress;
  private final Broadcast<long[]> heldOut;

  /**
   * @param heldOut the doc ids of the input's holdout record, sorted (empty: none)
   */
  MetaScan(
      Broadcast<HadoopConf> conf,
      Broadcast<List<String>> files,
      StageProgress.Pass progress,
      Broadcast<long[]> heldOut) {
    this.conf = conf;
    this.files = files;
    this.progress = progress;
    this.heldOut = heldOut;
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
      long[] held = heldOut.value();
      if (held.length == 0) {
        return new DocMeta(f, meta.docIds(), meta.nTokens(), meta.domain(), meta.domains(), 0, 0);
      }
      int n = meta.docIds().length;
      long[] ids = new long[n];
      int[] lengths = new int[n];
      short[] domain = new short[n];
      int k = 0;
      long heldTokens = 0;
      for (int i = 0; i < n; i++) {
        if (java.util.Arrays.binarySearch(held, meta.docIds()[i]) >= 0) {
          heldTokens += meta.nTokens()[i];
          continue;
        }
        ids[k] = meta.docIds()[i];
        lengths[k] = meta.nTokens()[i];
        domain[k] = meta.domain()[i];
        k++;
      }
      return new DocMeta(
          f,
          java.util.Arrays.copyOf(ids, k),
          java.util.Arrays.copyOf(lengths, k),
          java.util.Arrays.copyOf(domain, k),
          meta.domains(),
          n - k,
          heldTokens);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
