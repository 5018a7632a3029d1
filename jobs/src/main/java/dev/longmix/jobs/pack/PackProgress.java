package dev.longmix.jobs.pack;

import dev.longmix.jobs.spark.StageProgress;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/**
 * Pack's progress over its three passes, with totals known before it starts: the selection reads
 * every document's (doc_id, domain, n_tokens), the ids pass reads every document's token ids for
 * the join with the selection, and assembly writes the packed rows.
 *
 * <p>Weights, in tokens moved, a token written counting as a token read: the ids pass reads the
 * corpus's T tokens, assembly writes the output's B data tokens, and the selection, which reads
 * lengths and not ids, counts as T/20 (the histogram, which reads the same columns, runs about 20
 * times faster per token than pack in the README's sizing). Each pass's own share done is by
 * tokens, except the selection's, by documents. Sorting the selection and the shuffles between the
 * ids pass and assembly are not counted: the estimate holds still through them, and the Spark task
 * counts on the same line show they move.
 */
final class PackProgress implements AutoCloseable {
  final StageProgress progress;
  final StageProgress.Pass selection;
  final StageProgress.Pass ids;
  final StageProgress.Pass rows;

  private PackProgress(SparkSession spark, PackConfig cfg, PrintStream out) {
    progress = StageProgress.create(spark, "pack", cfg.progressSeconds(), out);
    long documents = cfg.fig2().documents();
    long tokens = cfg.fig2().tokens();
    long budget = cfg.plan().budgetTokens();
    long written = budget - cfg.packing().droppedTokens(budget);
    selection = progress.pass("selection", "documents", documents, tokens, tokens / 20.0, false);
    ids = progress.pass("ids", "documents", documents, tokens, tokens, true);
    rows = progress.pass("rows", "rows", cfg.packing().rows(budget), written, written, true);
  }

  static PackProgress start(SparkSession spark, PackConfig cfg, PrintStream out) {
    PackProgress p = new PackProgress(spark, cfg, out);
    p.progress.start();
    return p;
  }

  @Override
  public void close() {
    progress.close();
  }
}
