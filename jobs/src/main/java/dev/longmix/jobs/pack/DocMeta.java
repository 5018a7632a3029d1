package dev.longmix.jobs.pack;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One partition's documents as selection reads them (doc id, domain, token count), in three
 * primitive arrays and a small domain table. Selection passes over every document of the corpus
 * three times (bucket sums, crossing items, selected items); cached as one object per partition
 * this costs ~16 bytes per document and no per-document objects, where cached {@code Row}s cost an
 * object graph per document and Spark's size estimation walking it.
 */
final class DocMeta implements Serializable {
  private static final long serialVersionUID = 1L;

  final long[] docIds;
  final int[] nTokens;
  final short[] domain;
  final String[] domains;

  private DocMeta(long[] docIds, int[] nTokens, short[] domain, String[] domains) {
    this.docIds = docIds;
    this.nTokens = nTokens;
    this.domain = domain;
    this.domains = domains;
  }

  int size() {
    return docIds.length;
  }

  String domain(int i) {
    return domains[domain[i]];
  }

  /**
   * Builds a partition's block from Catalyst rows of (doc_id long, domain string, n_tokens int).
   */
  static final class Collect implements FlatMapFunction<Iterator<InternalRow>, DocMeta> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<DocMeta> call(Iterator<InternalRow> rows) {
      long[] ids = new long[1024];
      int[] tokens = new int[1024];
      short[] dom = new short[1024];
      HashMap<UTF8String, Short> index = new HashMap<>();
      List<String> names = new ArrayList<>();
      int n = 0;
      while (rows.hasNext()) {
        InternalRow r = rows.next();
        if (n == ids.length) {
          ids = Arrays.copyOf(ids, 2 * n);
          tokens = Arrays.copyOf(tokens, 2 * n);
          dom = Arrays.copyOf(dom, 2 * n);
        }
        UTF8String d = r.getUTF8String(1);
        Short k = index.get(d);
        if (k == null) {
          if (names.size() == Short.MAX_VALUE) {
            throw new IllegalStateException(
                "more than " + Short.MAX_VALUE + " domains in one partition of the tokenized data");
          }
          k = (short) names.size();
          index.put(d.clone(), k);
          names.add(d.toString());
        }
        ids[n] = r.getLong(0);
        tokens[n] = r.getInt(2);
        dom[n] = k;
        n++;
      }
      return List.of(
              new DocMeta(
                  Arrays.copyOf(ids, n),
                  Arrays.copyOf(tokens, n),
                  Arrays.copyOf(dom, n),
                  names.toArray(new String[0])))
          .iterator();
    }
  }
}
