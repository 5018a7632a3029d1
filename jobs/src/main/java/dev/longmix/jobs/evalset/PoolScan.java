package dev.longmix.jobs.evalset;

import dev.longmix.common.eval.HoldoutRule;
import dev.longmix.jobs.fast.TokenizedFile;
import dev.longmix.jobs.spark.HadoopConf;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * The evalset's first pass: the eval pool's documents of each tokenized file (doc_id, domain,
 * n_tokens; no ids), one {@link PoolFile} per file. The pool is the holdout rule's documents, or
 * every document when the whole input is the pool.
 */
final class PoolScan implements FlatMapFunction<Iterator<int[]>, PoolScan.PoolFile> {
  private static final long serialVersionUID = 1L;
  private final Broadcast<HadoopConf> conf;
  private final Broadcast<List<String>> files;
  private final HoldoutRule rule;

  PoolScan(Broadcast<HadoopConf> conf, Broadcast<List<String>> files, HoldoutRule rule) {
    this.conf = conf;
    this.files = files;
    this.rule = rule;
  }

  /**
   * One file's pool documents.
   *
   * @param file the file's index
   * @param docIds their ids
   * @param nTokens their lengths
   * @param domain each one's index into {@code domains}
   * @param domains the file's domain names
   * @param documents all documents of the file
   * @param tokens all their tokens
   */
  record PoolFile(
      int file,
      long[] docIds,
      int[] nTokens,
      short[] domain,
      String[] domains,
      long documents,
      long tokens)
      implements Serializable {}

  @Override
  public Iterator<PoolFile> call(Iterator<int[]> groups) {
    List<PoolFile> out = new ArrayList<>();
    while (groups.hasNext()) {
      for (int f : groups.next()) {
        out.add(read(f));
      }
    }
    return out.iterator();
  }

  private PoolFile read(int f) {
    String path = files.value().get(f);
    try (TokenizedFile file = TokenizedFile.open(conf.value(), path, TokenizedFile.Columns.META)) {
      TokenizedFile.Meta m = file.meta();
      int n = m.docIds().length;
      long[] ids = new long[n];
      int[] tokens = new int[n];
      short[] dom = new short[n];
      int k = 0;
      long all = 0;
      for (int i = 0; i < n; i++) {
        all += m.nTokens()[i];
        if (rule == null || rule.holdsOut(m.docIds()[i])) {
          ids[k] = m.docIds()[i];
          tokens[k] = m.nTokens()[i];
          dom[k] = m.domain()[i];
          k++;
        }
      }
      return new PoolFile(
          f,
          Arrays.copyOf(ids, k),
          Arrays.copyOf(tokens, k),
          Arrays.copyOf(dom, k),
          m.domains(),
          n,
          all);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }
}
