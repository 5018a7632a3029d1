package dev.longmix.jobs.evalset;

import dev.longmix.common.eval.IdsHash;
import dev.longmix.jobs.fast.DocumentIds;
import dev.longmix.jobs.spark.HadoopConf;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * A pass over the ids of chosen pool documents, a task per group of files: each wanted document's
 * {@link IdsHash} (for the holdout record) and, for those to keep, their ids (cut to a maximum).
 * Only files holding a wanted document are opened; within them, other documents are passed over.
 */
final class IdsPass implements FlatMapFunction<Iterator<int[]>, IdsPass.Doc> {
  private static final long serialVersionUID = 1L;
  private final Broadcast<HadoopConf> conf;
  private final Broadcast<List<String>> files;
  private final Broadcast<HashMap<Integer, long[]>> wanted;
  private final Broadcast<long[]> keep;
  private final int maxKeep;

  /**
   * @param wanted each file's wanted doc ids, sorted
   * @param keep the doc ids whose ids come back, sorted
   * @param maxKeep at most this many of a kept document's ids come back
   */
  IdsPass(
      Broadcast<HadoopConf> conf,
      Broadcast<List<String>> files,
      Broadcast<HashMap<Integer, long[]>> wanted,
      Broadcast<long[]> keep,
      int maxKeep) {
    this.conf = conf;
    this.files = files;
    this.wanted = wanted;
    this.keep = keep;
    this.maxKeep = maxKeep;
  }

  /**
   * A wanted document.
   *
   * @param docId its id
   * @param nTokens its length
   * @param idsHash the hash of all its ids
   * @param ids its first {@code maxKeep} ids when kept, else null
   */
  record Doc(long docId, int nTokens, long idsHash, int[] ids) implements Serializable {}

  @Override
  public Iterator<Doc> call(Iterator<int[]> groups) {
    List<Doc> out = new ArrayList<>();
    long[] keeping = keep.value();
    while (groups.hasNext()) {
      for (int f : groups.next()) {
        long[] want = wanted.value().get(f);
        if (want == null || want.length == 0) {
          continue;
        }
        String path = files.value().get(f);
        int[] found = {0};
        try {
          DocumentIds.scan(
              conf.value(),
              path,
              id -> Arrays.binarySearch(want, id) >= 0,
              (id, ids, n) -> {
                found[0]++;
                int[] kept =
                    Arrays.binarySearch(keeping, id) >= 0
                        ? Arrays.copyOf(ids, Math.min(n, maxKeep))
                        : null;
                out.add(new Doc(id, n, IdsHash.of(ids, n), kept));
              });
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + path, e);
        }
        if (found[0] != want.length) {
          throw new IllegalStateException(
              path
                  + ": "
                  + want.length
                  + " eval documents chosen, "
                  + found[0]
                  + " found; the tokenized dataset changed during the run?");
        }
      }
    }
    return out.iterator();
  }
}
