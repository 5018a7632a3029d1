package dev.longmix.common.pack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Concatenates items in the order given and cuts every {@code seqLen} tokens regardless of item
 * boundaries; an item that crosses a row boundary continues in the next row. The plain statement of
 * the paper's packing, kept in tests as the oracle of the distributed form (fragments placed by
 * global offset, assembled per row), which must give the same rows.
 *
 * <p>Streaming: one row buffer is held, rows are handed to a consumer as they fill, and item slices
 * are copied straight into the buffer (no boxing). Not thread-safe; one per partition.
 */
public final class SequencePacker {
  private final PackingConfig config;
  private int[] row;
  private int fill;
  private List<Span> spans = new ArrayList<>();
  private long rowIndex;
  private long items;
  private long inputTokens;
  private boolean finished;

  /** A packer whose first row gets index {@code firstRow}. */
  public SequencePacker(PackingConfig config, long firstRow) {
    this.config = config;
    this.row = new int[config.seqLen()];
    this.rowIndex = firstRow;
  }

  public SequencePacker(PackingConfig config) {
    this(config, 0);
  }

  /** Packs {@code items} in order and returns all rows, for tests and small outputs. */
  public static List<PackedRow> packAll(PackingConfig config, Iterable<PackItem> items) {
    SequencePacker packer = new SequencePacker(config);
    List<PackedRow> rows = new ArrayList<>();
    for (PackItem item : items) {
      packer.add(item, rows::add);
    }
    packer.finish(rows::add);
    return rows;
  }

  /** Appends {@code item}, handing every row it completes to {@code out}. */
  public void add(PackItem item, Consumer<PackedRow> out) {
    if (finished) {
      throw new IllegalStateException("packer already finished");
    }
    items++;
    inputTokens += item.length();
    int done = 0;
    while (done < item.length()) {
      int take = Math.min(item.length() - done, config.seqLen() - fill);
      System.arraycopy(item.tokens(), item.offset() + done, row, fill, take);
      spans.add(new Span(fill, take, item.domain(), item.docId(), item.piece(), item.copy(), done));
      fill += take;
      done += take;
      if (fill == config.seqLen()) {
        emit(0, out);
      }
    }
  }

  /** Handles the partial last row per the tail policy and returns what packing did. */
  public PackStats finish(Consumer<PackedRow> out) {
    if (!finished) {
      finished = true;
      if (fill > 0 && config.tail() == TailPolicy.PAD) {
        int pad = config.seqLen() - fill;
        Arrays.fill(row, fill, config.seqLen(), config.padId());
        emit(pad, out);
      }
    }
    return new PackStats(
        items,
        inputTokens,
        config.rows(inputTokens),
        config.droppedTokens(inputTokens),
        config.padTokens(inputTokens));
  }

  private void emit(int pad, Consumer<PackedRow> out) {
    PackedRow done = new PackedRow(rowIndex++, row, spans, pad);
    // The row array now belongs to the consumer; a fresh buffer avoids copying 80K ints.
    row = new int[config.seqLen()];
    spans = new ArrayList<>();
    fill = 0;
    out.accept(done);
  }
}
