package dev.longmix.jobs.pack;

import static org.apache.spark.sql.functions.col;

import dev.longmix.common.pack.PackOutcome;
import dev.longmix.common.pack.PackTally;
import dev.longmix.common.pack.PackingMode;
import dev.longmix.common.pack.RowFragment;
import dev.longmix.common.plan.DomainPlan;
import dev.longmix.common.plan.Plan;
import dev.longmix.common.select.CandidateGenerator;
import dev.longmix.jobs.evalset.EvalPool;
import dev.longmix.jobs.evalset.PackHoldout;
import dev.longmix.jobs.fast.DirectParquetFormat;
import dev.longmix.jobs.fast.Frames;
import dev.longmix.jobs.fast.RowDigest;
import dev.longmix.jobs.manifest.ManifestHeader;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.manifest.PackManifest;
import dev.longmix.jobs.spark.FileGroups;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.spark.ParquetFooters;
import dev.longmix.jobs.spark.TaskHook;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Stage 3: a tokenized dataset and its plan → packed rows. Reads the documents' lengths, selects
 * the items each pool takes, places them in packing order, reads the selected documents' ids,
 * assembles the rows and writes them; returns what came out against the plan.
 */
public final class PackJob {
  private PackJob() {}

  /**
   * What a run produced.
   *
   * @param outcome the rows against the plan: the value the summary, manifest and report show
   * @param manifest the manifest body written beside the rows
   */
  public record Result(PackOutcome outcome, PackManifest manifest) {
    public long rows() {
      return outcome.rows();
    }

    public long selectedTokens() {
      return outcome.selectedTokens();
    }

    public long droppedTokens() {
      return outcome.droppedTailTokens();
    }

    public long padTokens() {
      return outcome.padTokens();
    }
  }

  public static Result run(SparkSession spark, PackConfig cfg, PrintStream out) {
    try (PackProgress progress = PackProgress.start(spark, cfg, out)) {
      long t0 = System.nanoTime();
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      HadoopConf hconf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
      Plan plan = cfg.plan();
      String[] domains = plan.domains().stream().map(DomainPlan::domain).toArray(String[]::new);
      OutputGuard.begin(hconf.get(), cfg.output(), cfg.fingerprint());

      // Read: every document's (doc_id, domain, n_tokens), a block per tokenized file.
      List<ParquetFooters.DataFile> inputFiles = ParquetFooters.list(hconf, cfg.input());
      List<int[]> groups =
          FileGroups.of(
              spark, inputFiles.stream().mapToLong(ParquetFooters.DataFile::bytes).toArray());
      int[] groupOfFile = new int[inputFiles.size()];
      for (int g = 0; g < groups.size(); g++) {
        for (int f : groups.get(g)) {
          groupOfFile[f] = g;
        }
      }
      Broadcast<HadoopConf> conf = jsc.broadcast(hconf);
      Broadcast<List<String>> paths =
          jsc.broadcast(inputFiles.stream().map(ParquetFooters.DataFile::path).toList());
      Broadcast<List<int[]>> groupFiles = jsc.broadcast(groups);
      // The input's eval pool never reaches selection: its documents are dropped as they are read.
      PackHoldout holdout = cfg.holdout();
      Broadcast<long[]> heldOut = jsc.broadcast(holdout.excluded());
      JavaRDD<DocMeta> meta =
          jsc.parallelize(groups, Math.max(1, groups.size()))
              .mapPartitions(
                  TaskHook.wrap("pack", new MetaScan(conf, paths, progress.selection, heldOut)))
              .persist(StorageLevel.MEMORY_AND_DISK());
      long[] excluded = excluded(meta, holdout);

      // Select: each pool's cutoff, then the items before it.
      Broadcast<CandidateGenerator> gen = jsc.broadcast(new CandidateGenerator(plan));
      Selection.Cutoffs cutoffs = Selection.cutoffs(jsc, plan, gen, meta);
      JavaRDD<SelectedItems> selected =
          meta.mapPartitions(
              TaskHook.wrap("pack", new Selection.Pick(gen, cutoffs.cutoffs(), domains)));

      // Place: each item's start in the output (concatenated in packing order, or in best-fit
      // rows with padding), the items grouped as the files are.
      Placement.Result placed =
          cfg.packing().mode() == PackingMode.BEST_FIT
              ? BestFitPlacement.place(
                  spark,
                  selected,
                  domains,
                  cutoffs.itemsBound(),
                  groupOfFile,
                  groups.size(),
                  cfg.packing(),
                  plan.config().seed(),
                  plan.budgetTokens())
              : Placement.place(
                  spark,
                  selected,
                  domains,
                  cutoffs.itemsBound(),
                  groupOfFile,
                  groups.size(),
                  cfg.packing());
      PackTally tally = placed.tally();
      if (tally.tokens() != plan.budgetTokens()) {
        throw new IllegalStateException(
            "selected " + tally.tokens() + " tokens but the budget is " + plan.budgetTokens());
      }
      long rows = placed.layout().rows();

      // Scan ids: each group's files read once, the selected documents' ids cut into fragments,
      // each packed document compared with the eval pool's.
      EvalPool pool =
          holdout.pool() == null ? new EvalPool(new int[0], new long[0]) : holdout.pool();
      Broadcast<EvalPool> evalPool = jsc.broadcast(pool);
      CollectionAccumulator<IdsScan.Duplicate> duplicates =
          spark.sparkContext().collectionAccumulator("longmix.pack.evalDuplicates");
      JavaRDD<RowFragment> fragments =
          placed
              .byGroup()
              .mapPartitionsWithIndex(
                  TaskHook.wrapIndexed(
                      "pack",
                      new IdsScan(
                          conf,
                          paths,
                          groupFiles,
                          domains,
                          progress.ids,
                          cfg.packing().seqLen(),
                          rows,
                          evalPool,
                          duplicates)),
                  true);

      // Assemble and write: fragments to their row's file, rows in order, digested as written.
      RowDigest digest = new RowDigest();
      spark.sparkContext().register(digest, "longmix.pack.digest");
      JavaRDD<InternalRow> packed =
          Assembly.rows(fragments, cfg.packing(), rows, tally.tokens(), digest);
      write(spark, packed, progress, cfg.output());
      placed.release();
      meta.unpersist(false);

      // The digest came from the rows as they were written; the committed files' footers must
      // hold exactly the planned rows.
      long written = ParquetFooters.rows(jsc, hconf, cfg.output());
      if (written != rows) {
        throw new IllegalStateException("wrote " + written + " rows, expected " + rows);
      }
      PackOutcome outcome =
          new PackOutcome(
              plan,
              cfg.fig2(),
              cfg.packing(),
              tally,
              placed.layout(),
              rows == 0 ? "0" : Long.toHexString(digest.value()));
      double seconds = (System.nanoTime() - t0) / 1e9;
      PackManifest.EvalDuplicates dups =
          holdout.pool() == null ? null : evalDuplicates(pool, duplicates.value());
      PackManifest manifest =
          manifest(cfg, outcome, cutoffs, seconds, holdoutEntry(holdout, excluded), dups);
      String holdoutLine = holdoutLine(manifest.holdout(), dups);
      PackReport.write(
          hconf.get(), cfg, outcome, holdoutLine.substring("[pack] holdout: ".length()).strip());
      Manifests.write(
          hconf.get(),
          cfg.output(),
          ManifestHeader.now(PackManifest.STAGE, true, cfg.fingerprint(), cfg.resolved()),
          manifest);
      out.print(outcome.table());
      out.print(outcome.summaryLine(seconds));
      out.print(holdoutLine);
      return new Result(outcome, manifest);
    }
  }

  private static void write(
      SparkSession spark, JavaRDD<InternalRow> packed, PackProgress progress, String output) {
    Frames.fromInternalRows(spark, packed, PackedSchema.ROWS)
        .where(progress.rows.count(col("n_tokens")))
        .write()
        .mode(SaveMode.Append)
        .option("compression", "zstd")
        .option("parquet.enable.dictionary#input_ids.list.element", "false")
        // Rows of 80K ids defeat parquet-mr's default page sizing, which checks sizes every 100
        // rows at the earliest: check after every row.
        .option("parquet.page.size.row.check.min", "1")
        .option("parquet.page.size.row.check.max", "1")
        .option("parquet.block.size", Long.toString(64L << 20))
        .format(DirectParquetFormat.NAME)
        .save(output);
  }

  /**
   * The documents and tokens the holdout left out, checked against its record: every recorded
   * document must have been found in the input.
   */
  private static long[] excluded(JavaRDD<DocMeta> meta, PackHoldout holdout) {
    if (holdout.excluded().length == 0) {
      return new long[2];
    }
    long[] n =
        meta.map(m -> new long[] {m.heldOutDocuments(), m.heldOutTokens()})
            .fold(new long[2], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    if (n[0] != holdout.excluded().length) {
      throw new IllegalStateException(
          "the holdout record "
              + holdout.record()
              + " lists "
              + holdout.excluded().length
              + " documents, "
              + n[0]
              + " of them are in the input: the tokenized dataset changed after the record was"
              + " made");
    }
    return n;
  }

  private static PackManifest.Holdout holdoutEntry(PackHoldout h, long[] excluded) {
    var m = h.manifest();
    return new PackManifest.Holdout(
        h.status().words(),
        h.record(),
        h.fingerprint(),
        m == null ? null : m.fraction(),
        m == null ? null : m.seed(),
        m == null ? null : m.documents(),
        m == null ? null : m.tokens(),
        excluded[0],
        excluded[1]);
  }

  private static PackManifest.EvalDuplicates evalDuplicates(
      EvalPool pool, List<IdsScan.Duplicate> found) {
    // A task run twice (a lost executor's stage redone) reports its documents twice: count each
    // document once.
    java.util.TreeMap<Long, IdsScan.Duplicate> byId = new java.util.TreeMap<>();
    for (IdsScan.Duplicate d : found) {
      byId.put(d.docId(), d);
    }
    java.util.TreeMap<String, Long> byDomain = new java.util.TreeMap<>();
    long tokens = 0;
    for (IdsScan.Duplicate d : byId.values()) {
      byDomain.merge(d.domain(), 1L, Long::sum);
      tokens += d.nTokens();
    }
    return new PackManifest.EvalDuplicates(
        pool.size(),
        "equal token ids (same length, equal 64-bit ids hash): the same text under one tokenizer",
        byId.size(),
        tokens,
        byDomain,
        byId.keySet().stream().limit(1000).toList());
  }

  /** The pack summary's line about the eval pool. */
  static String holdoutLine(PackManifest.Holdout h, PackManifest.EvalDuplicates d) {
    StringBuilder sb = new StringBuilder("[pack] holdout: ").append(h.status());
    if (h.record() != null) {
      sb.append(" (").append(h.record()).append(')');
    }
    if (h.excludedDocuments() != null && h.excludedDocuments() > 0) {
      sb.append(
          String.format(
              java.util.Locale.ROOT,
              "; %,d documents, %,d tokens left out",
              h.excludedDocuments(),
              h.excludedTokens()));
    }
    if (d != null) {
      sb.append(
          String.format(
              java.util.Locale.ROOT,
              "; %,d packed documents equal an eval document's text (of %,d compared)",
              d.documents(),
              d.comparedWith()));
    }
    return sb.append('\n').toString();
  }

  private static PackManifest manifest(
      PackConfig cfg,
      PackOutcome outcome,
      Selection.Cutoffs cutoffs,
      double seconds,
      PackManifest.Holdout holdout,
      PackManifest.EvalDuplicates duplicates) {
    Plan plan = cfg.plan();
    return new PackManifest(
        cfg.inputFingerprint(),
        cfg.input(),
        cfg.histogram(),
        cfg.tokenizerSha256(),
        plan.config().seed(),
        plan.config(),
        Arrays.asList(plan.toTable(cfg.packing().seqLen(), Plan.BATCH_TOKENS_DEFAULT).split("\n")),
        new TreeMap<>(cutoffs.cutoffs()),
        outcome.report(),
        new PackManifest.Repetition(
            outcome.items(), outcome.repeatedItems(), outcome.repeatedTokens(), outcome.maxCopy()),
        PackManifest.Counts.of(outcome),
        PackedSchema.ROWS.simpleString(),
        Math.round(seconds * 1000) / 1000.0,
        holdout,
        duplicates);
  }
}
