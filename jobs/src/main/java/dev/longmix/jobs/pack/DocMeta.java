package dev.longmix.jobs.pack;

import java.io.Serializable;

/**
 * One tokenized file's documents as selection reads them (doc id, domain, token count), in
 * primitive arrays and a small domain table. Selection passes over every document of the corpus
 * three times (bucket sums, crossing items, selected items); cached as one object per file this
 * costs ~14 bytes per document and no per-document objects.
 *
 * @param file the file's index in the job's list of tokenized files
 * @param docIds each document's id
 * @param nTokens each document's token count
 * @param domain each document's index into {@code domains}
 * @param domains the domain names of this file, in order of first appearance
 * @param heldOutDocuments documents of the file left out as the input's eval pool
 * @param heldOutTokens their tokens
 */
record DocMeta(
    int file,
    long[] docIds,
    int[] nTokens,
    short[] domain,
    String[] domains,
    long heldOutDocuments,
    long heldOutTokens)
    implements Serializable {

  int size() {
    return docIds.length;
  }

  String domain(int i) {
    return domains[domain[i]];
  }
}
