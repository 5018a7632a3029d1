package dev.longmix.jobs.pack;

import dev.longmix.common.pack.PackTally;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Selected items, a column per field: the one form an item has from selection until its ids are
 * read. Selection appends them ({@link #add}), placement sorts them into packing order and gives
 * each its start in the concatenated output ({@link #forPacking}, {@link #place}), and the ids pass
 * finds a document's items by file and document id ({@link #forScan}, {@link #firstOf}).
 *
 * <p>Columns rather than an object per item: a selection can hold tens of millions of items, and
 * blocks of primitive arrays cost ~50 bytes an item, cross Spark's serializer in bulk and sort
 * without boxing. Domains are indices into {@link #domains}, the plan's domain names; files are
 * indices into the job's list of tokenized files.
 */
final class SelectedItems implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Domain names, indexed by the {@code domain} column (the plan's domains, sorted). */
  final String[] domains;

  private int size;
  private long[] orderKey;
  private long[] docId;
  private int[] piece;
  private int[] copy;
  private short[] domain;
  private int[] fromToken;
  private int[] tokens;
  private int[] docTokens;
  private boolean[] isLong;
  private int[] file;
  // Where this part starts inside its item: 0, unless best-fit packing cut a longer item into
  // row-sized parts (each then an entry of its own).
  private int[] part;
  // Start of each item in the concatenation of all items in packing order; set by place().
  private long[] start;

  SelectedItems(String[] domains) {
    this(domains, 16);
  }

  private SelectedItems(String[] domains, int capacity) {
    this.domains = domains;
    orderKey = new long[capacity];
    docId = new long[capacity];
    piece = new int[capacity];
    copy = new int[capacity];
    domain = new short[capacity];
    fromToken = new int[capacity];
    tokens = new int[capacity];
    docTokens = new int[capacity];
    isLong = new boolean[capacity];
    file = new int[capacity];
    part = new int[capacity];
  }

  /**
   * Appends one item.
   *
   * @param orderKey its packing-order key
   * @param docId its document
   * @param piece its piece of the document
   * @param copy its copy index
   * @param domain its domain's index in {@link #domains}
   * @param fromToken where it starts in the document's ids
   * @param tokens its length (a pool's last item may keep only its first tokens)
   * @param docTokens the whole document's length
   * @param isLong whether the document is long
   * @param file the tokenized file the document is in
   */
  void add(
      long orderKey,
      long docId,
      int piece,
      int copy,
      int domain,
      int fromToken,
      int tokens,
      int docTokens,
      boolean isLong,
      int file) {
    if (size == this.orderKey.length) {
      grow(Math.max(16, 2 * size));
    }
    int i = size++;
    this.orderKey[i] = orderKey;
    this.docId[i] = docId;
    this.piece[i] = piece;
    this.copy[i] = copy;
    this.domain[i] = (short) domain;
    this.fromToken[i] = fromToken;
    this.tokens[i] = tokens;
    this.docTokens[i] = docTokens;
    this.isLong[i] = isLong;
    this.file[i] = file;
  }

  private void grow(int capacity) {
    orderKey = Arrays.copyOf(orderKey, capacity);
    docId = Arrays.copyOf(docId, capacity);
    piece = Arrays.copyOf(piece, capacity);
    copy = Arrays.copyOf(copy, capacity);
    domain = Arrays.copyOf(domain, capacity);
    fromToken = Arrays.copyOf(fromToken, capacity);
    tokens = Arrays.copyOf(tokens, capacity);
    docTokens = Arrays.copyOf(docTokens, capacity);
    isLong = Arrays.copyOf(isLong, capacity);
    file = Arrays.copyOf(file, capacity);
    part = Arrays.copyOf(part, capacity);
    if (start != null) {
      start = Arrays.copyOf(start, capacity);
    }
  }

  int size() {
    return size;
  }

  long orderKey(int i) {
    return orderKey[i];
  }

  long docId(int i) {
    return docId[i];
  }

  int piece(int i) {
    return piece[i];
  }

  int copy(int i) {
    return copy[i];
  }

  String domain(int i) {
    return domains[domain[i]];
  }

  int fromToken(int i) {
    return fromToken[i];
  }

  int tokens(int i) {
    return tokens[i];
  }

  int file(int i) {
    return file[i];
  }

  /** Where entry {@code i} starts inside its item (0 unless best-fit cut the item). */
  int part(int i) {
    return part[i];
  }

  /** The item's start in the output's concatenated tokens; only after {@link #place}. */
  long start(int i) {
    return start[i];
  }

  /** The items' tokens. */
  long totalTokens() {
    long n = 0;
    for (int i = 0; i < size; i++) {
      n += tokens[i];
    }
    return n;
  }

  /** The items, counted for the report. */
  PackTally tally() {
    PackTally t = new PackTally();
    for (int i = 0; i < size; i++) {
      t.add(domains[domain[i]], copy[i], tokens[i], docTokens[i], isLong[i]);
    }
    return t;
  }

  /**
   * These items with every one longer than {@code seqLen} tokens cut into parts of {@code seqLen}
   * and a remainder, each part an entry of its own (same item, its own {@link #part}): what
   * best-fit packing places. Shorter items are kept whole.
   */
  SelectedItems inParts(int seqLen) {
    SelectedItems out = new SelectedItems(domains, Math.max(16, size));
    for (int i = 0; i < size; i++) {
      for (int at = 0; at < tokens[i]; at += seqLen) {
        out.add(
            orderKey[i],
            docId[i],
            piece[i],
            copy[i],
            domain[i],
            fromToken[i] + at,
            Math.min(seqLen, tokens[i] - at),
            docTokens[i],
            isLong[i],
            file[i]);
        out.part[out.size - 1] = at;
      }
    }
    return out;
  }

  /**
   * Sets each entry's start; {@code starts[i]} for entry i in the current order. For placements
   * that are not a plain concatenation (best-fit rows, with padding between).
   */
  void place(long[] starts) {
    if (starts.length < size) {
      throw new IllegalArgumentException(starts.length + " starts for " + size + " items");
    }
    start = Arrays.copyOf(starts, orderKey.length);
  }

  /**
   * Over placed entries, how many items lie in more than one of rows [0, {@code rows}) of {@code
   * seqLen} tokens, and how many spans they make there: {cut, spans}.
   */
  long[] rowStats(int seqLen, long rows) {
    long cut = 0;
    long spans = 0;
    for (int i = 0; i < size; i++) {
      long first = start[i] / seqLen;
      long last = Math.min(rows - 1, (start[i] + tokens[i] - 1) / seqLen);
      if (last >= first) {
        spans += last - first + 1;
        if (last > first) {
          cut++;
        }
      }
    }
    return new long[] {cut, spans};
  }

  /**
   * The items in packing order: by order key, ties by (doc id, piece, copy), which no two items
   * share. The key is a keyed hash, so the order is random across domains (no domain fills the end
   * of the output, the authors' issue #15) and independent of which task found an item.
   */
  SelectedItems forPacking() {
    return permuted(
        order(
            (a, b) -> {
              int c = Long.compare(orderKey[a], orderKey[b]);
              if (c == 0) {
                c = Long.compare(docId[a], docId[b]);
              }
              if (c == 0) {
                c = Integer.compare(piece[a], piece[b]);
              }
              return c != 0 ? c : Integer.compare(copy[a], copy[b]);
            }));
  }

  /**
   * Gives the items, in their current order, consecutive starts from {@code first}; returns the
   * start after the last.
   */
  long place(long first) {
    start = new long[orderKey.length];
    long at = first;
    for (int i = 0; i < size; i++) {
      start[i] = at;
      at += tokens[i];
    }
    return at;
  }

  /** The items by (file, doc id), each document's items together: the ids pass's lookup order. */
  SelectedItems forScan() {
    return permuted(
        order(
            (a, b) -> {
              int c = Integer.compare(file[a], file[b]);
              return c != 0 ? c : Long.compare(docId[a], docId[b]);
            }));
  }

  /**
   * In a block in {@link #forScan} order: the first item of document {@code doc} among items
   * [{@code from}, {@code to}) of one file, or -1 when the document has none.
   */
  int firstOf(long doc, int from, int to) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (docId[mid] < doc) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < to && docId[lo] == doc ? lo : -1;
  }

  /** In {@link #forScan} order: the end of the run of items from {@code i} that share its file. */
  int fileEnd(int i) {
    int j = i;
    while (j < size && file[j] == file[i]) {
      j++;
    }
    return j;
  }

  /** The items whose file maps to each group of {@code groupOfFile}, in their current order. */
  SelectedItems[] byGroup(int[] groupOfFile, int groups) {
    int[] part = new int[size];
    for (int i = 0; i < size; i++) {
      part[i] = groupOfFile[file[i]];
    }
    return split(part, groups);
  }

  /**
   * The items with {@code partOfItem[i] == p}, for each p below {@code parts}, in current order.
   */
  SelectedItems[] split(int[] partOfItem, int parts) {
    int[] counts = new int[parts];
    for (int i = 0; i < size; i++) {
      counts[partOfItem[i]]++;
    }
    int[][] idx = new int[parts][];
    for (int p = 0; p < parts; p++) {
      idx[p] = new int[counts[p]];
    }
    int[] at = new int[parts];
    for (int i = 0; i < size; i++) {
      int p = partOfItem[i];
      idx[p][at[p]++] = i;
    }
    SelectedItems[] out = new SelectedItems[parts];
    for (int p = 0; p < parts; p++) {
      out[p] = permuted(idx[p]);
    }
    return out;
  }

  /** Entries {@code idx}, in that order, as a block of their own. */
  SelectedItems subset(int[] idx) {
    return permuted(idx);
  }

  /** All items of {@code blocks}, in order; empty for no blocks. */
  static SelectedItems concat(String[] domains, List<SelectedItems> blocks) {
    int n = 0;
    for (SelectedItems b : blocks) {
      n += b.size;
    }
    SelectedItems out = new SelectedItems(domains, Math.max(16, n));
    boolean placed = !blocks.isEmpty() && blocks.stream().allMatch(b -> b.start != null);
    if (placed) {
      out.start = new long[Math.max(16, n)];
    }
    for (SelectedItems b : blocks) {
      int at = out.size;
      System.arraycopy(b.orderKey, 0, out.orderKey, at, b.size);
      System.arraycopy(b.docId, 0, out.docId, at, b.size);
      System.arraycopy(b.piece, 0, out.piece, at, b.size);
      System.arraycopy(b.copy, 0, out.copy, at, b.size);
      System.arraycopy(b.domain, 0, out.domain, at, b.size);
      System.arraycopy(b.fromToken, 0, out.fromToken, at, b.size);
      System.arraycopy(b.tokens, 0, out.tokens, at, b.size);
      System.arraycopy(b.docTokens, 0, out.docTokens, at, b.size);
      System.arraycopy(b.isLong, 0, out.isLong, at, b.size);
      System.arraycopy(b.file, 0, out.file, at, b.size);
      System.arraycopy(b.part, 0, out.part, at, b.size);
      if (placed) {
        System.arraycopy(b.start, 0, out.start, at, b.size);
      }
      out.size += b.size;
    }
    return out;
  }

  private SelectedItems permuted(int[] idx) {
    SelectedItems out = new SelectedItems(domains, Math.max(16, idx.length));
    for (int k = 0; k < idx.length; k++) {
      int i = idx[k];
      out.orderKey[k] = orderKey[i];
      out.docId[k] = docId[i];
      out.piece[k] = piece[i];
      out.copy[k] = copy[i];
      out.domain[k] = domain[i];
      out.fromToken[k] = fromToken[i];
      out.tokens[k] = tokens[i];
      out.docTokens[k] = docTokens[i];
      out.isLong[k] = isLong[i];
      out.file[k] = file[i];
      out.part[k] = part[i];
    }
    if (start != null) {
      out.start = new long[out.orderKey.length];
      for (int k = 0; k < idx.length; k++) {
        out.start[k] = start[idx[k]];
      }
    }
    out.size = idx.length;
    return out;
  }

  /** Compares two items by index. */
  @FunctionalInterface
  private interface IndexOrder {
    int compare(int a, int b);
  }

  /** The indices 0..size-1 sorted by {@code cmp} (a stable merge sort, no boxing). */
  private int[] order(IndexOrder cmp) {
    int[] a = new int[size];
    for (int i = 0; i < size; i++) {
      a[i] = i;
    }
    int[] tmp = new int[size];
    for (int width = 1; width < size; width *= 2) {
      for (int lo = 0; lo < size; lo += 2 * width) {
        int mid = Math.min(lo + width, size);
        int hi = Math.min(lo + 2 * width, size);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          tmp[k++] = cmp.compare(a[j], a[i]) < 0 ? a[j++] : a[i++];
        }
        while (i < mid) {
          tmp[k++] = a[i++];
        }
        while (j < hi) {
          tmp[k++] = a[j++];
        }
      }
      int[] t = a;
      a = tmp;
      tmp = t;
    }
    return a;
  }
}
