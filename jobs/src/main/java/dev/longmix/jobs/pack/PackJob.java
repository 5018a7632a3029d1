package dev.longmix.jobs.pack;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;

import dev.longmix.common.histogram.LengthBins;
import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.common.pack.RowFragment;
import dev.longmix.common.plan.ClassPlan;
import dev.longmix.common.plan.DomainPlan;
import dev.longmix.common.plan.Plan;
import dev.longmix.common.plan.PoolPlan;
import dev.longmix.common.select.BucketScheme;
import dev.longmix.common.select.CandidateGenerator;
import dev.longmix.common.select.Crossing;
import dev.longmix.common.select.CutoffFinder;
import dev.longmix.common.select.PoolCutoff;
import dev.longmix.common.select.TimedItem;
import dev.longmix.jobs.spark.DirectParquetFormat;
import dev.longmix.jobs.spark.Frames;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.Manifests;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.spark.ParquetFooters;
import dev.longmix.jobs.spark.Versions;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.ShuffledRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.sketch.BloomFilter;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Stage 3: tokenized dataset + plan → packed rows. Selection reads only (doc_id, domain, n_tokens);
 * token ids are read once, for the selected documents only.
 */
public final class PackJob {
  /** Tokens per output file, roughly (64 MB of ids before compression). */
  static final long TOKENS_PER_FILE = 16L << 20;

  static final long MIN_FILES = 8;

  /**
   * Up to this many selected items (about 80 bytes each once hashed), the items are broadcast to
   * the ids scan instead of shuffling selected documents' ids; Spark conf {@code
   * spark.longmix.pack.broadcastItems} overrides it (tests use 0 to force the shuffle).
   */
  static final long BROADCAST_ITEMS_DEFAULT = 1_000_000;

  static final String BROADCAST_ITEMS_KEY = "spark.longmix.pack.broadcastItems";

  /**
   * Up to this many selected items (bounded from the bucket counts), the driver sorts and places
   * them and groups them by document instead of four Spark jobs doing it; Spark conf {@code
   * spark.longmix.pack.driverItems} overrides it (tests use 0 to force the distributed path).
   */
  static final long DRIVER_ITEMS_DEFAULT = 1_000_000;

  static final String DRIVER_ITEMS_KEY = "spark.longmix.pack.driverItems";

  private PackJob() {}

  /** What a run produced. */
  public record Result(
      long rows,
      long selectedTokens,
      long droppedTokens,
      long padTokens,
      Map<String, Double> achievedDomainShares,
      double achievedLongShare,
      Map<String, Object> manifest) {}

  public static Result run(SparkSession spark, PackConfig cfg, PrintStream out) {
    try (PackProgress progress = PackProgress.start(spark, cfg, out)) {
      return runSteps(spark, cfg, out, progress);
    }
  }

  private static Result runSteps(
      SparkSession spark, PackConfig cfg, PrintStream out, PackProgress progress) {
    long t0 = System.nanoTime();
    Plan plan = cfg.plan();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf hconf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    OutputGuard.begin(hconf.get(), cfg.output(), cfg.fingerprint());

    JavaRDD<DocMeta> meta =
        spark
            .read()
            .parquet(cfg.input())
            .select(col("doc_id"), col("domain"), col("n_tokens"))
            .where(progress.selection.count(col("n_tokens")))
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitions(new DocMeta.Collect())
            .persist(StorageLevel.MEMORY_AND_DISK());
    Broadcast<CandidateGenerator> gen = jsc.broadcast(new CandidateGenerator(plan));
    HashMap<String, BucketScheme> schemeMap = new HashMap<>();
    for (PoolPlan p : plan.pools()) {
      schemeMap.put(
          p.pool(),
          BucketScheme.covering(p, plan.config().maxCopies(), BucketScheme.BUCKETS_DEFAULT));
    }
    Broadcast<HashMap<String, BucketScheme>> schemes = jsc.broadcast(schemeMap);

    // a. Per-pool cutoffs: bucket sums, crossing buckets, then only those buckets' items.
    HashMap<String, long[]> sums =
        meta.mapPartitions(new Selection.BucketSums(gen, schemes)).treeReduce(Selection::merge);
    HashMap<String, Crossing> crossings = new HashMap<>();
    HashMap<String, Integer> crossingBuckets = new HashMap<>();
    List<String> underfilled = new ArrayList<>();
    for (PoolPlan p : plan.pools()) {
      Crossing c = CutoffFinder.crossing(Selection.tokens(sums.get(p.pool())), p.budgetTokens());
      crossings.put(p.pool(), c);
      if (c.shortfallTokens() > 0) {
        underfilled.add(
            String.format(
                Locale.ROOT,
                "pool %s: its candidates hold %,d tokens but the budget is %,d (%,d short)",
                p.pool(),
                c.totalTokens(),
                p.budgetTokens(),
                c.shortfallTokens()));
      }
      if (c.bucket() >= 0) {
        crossingBuckets.put(p.pool(), c.bucket());
      }
    }
    if (!underfilled.isEmpty()) {
      throw new IllegalStateException(
          "the selection cannot fill the budget, refusing to write less: "
              + String.join("; ", underfilled)
              + "; raise --max-copies with --infeasible repeat, or lower the budget");
    }
    Map<String, List<TimedItem>> inBucket = new HashMap<>();
    for (Tuple2<String, TimedItem> t :
        meta.mapPartitions(new Selection.CrossingItems(gen, schemes, crossingBuckets)).collect()) {
      inBucket.computeIfAbsent(t._1(), k -> new ArrayList<>()).add(t._2());
    }
    HashMap<String, PoolCutoff> cutoffs = new HashMap<>();
    for (PoolPlan p : plan.pools()) {
      cutoffs.put(
          p.pool(),
          CutoffFinder.cutoff(
              p.pool(), crossings.get(p.pool()), inBucket.getOrDefault(p.pool(), List.of())));
    }

    // b. Selected items in packing order with their global offsets, and each selected document's
    // items. While the selection is small (at most driverItems items, bounded from the bucket
    // counts before anything is collected) the driver does it: one job collects the items, and
    // the sort, the prefix sum and the grouping cost no further Spark jobs; the items are then
    // broadcast to the ids pass, which reads the files' pages itself (IdsScan). Larger selections
    // stay distributed: a sort, a two-pass prefix sum, a groupBy, and Spark's scan with a Bloom
    // filter and a join. Both give the same rows (PackJobTest).
    long broadcastItems =
        Long.parseLong(
            spark.conf().get(BROADCAST_ITEMS_KEY, Long.toString(BROADCAST_ITEMS_DEFAULT)));
    long driverItems =
        Long.parseLong(spark.conf().get(DRIVER_ITEMS_KEY, Long.toString(DRIVER_ITEMS_DEFAULT)));
    long itemsBound = 0;
    for (PoolPlan p : plan.pools()) {
      itemsBound += Selection.itemsThrough(sums.get(p.pool()), crossings.get(p.pool()));
    }
    Placement.Stats total;
    Dataset<Row> byDoc = null;
    Broadcast<BloomFilter> selectedDocs = null;
    Broadcast<IdsScan.SelectedDocs> scanDocs = null;
    JavaRDD<Row> sorted = null;
    if (itemsBound <= driverItems) {
      List<Row> selectedItems =
          new ArrayList<>(meta.mapPartitions(new Selection.SelectedItems(gen, cutoffs)).collect());
      selectedItems.sort(Selection.PACKING_ORDER);
      total = new Placement.PartitionStats().call(0, selectedItems.iterator()).next();
      checkBudget(total, plan);
      TreeMap<Long, List<Row>> perDoc = new TreeMap<>();
      long at = 0;
      for (Row r : selectedItems) {
        perDoc
            .computeIfAbsent(r.getLong(1), k -> new ArrayList<>())
            .add(Placement.itemStruct(Placement.placed(r, at)));
        at += r.getInt(6);
      }
      // The ids pass reads the selected documents' ids from the files' pages (IdsScan) with these
      // items broadcast: no Bloom filter, no join.
      scanDocs = jsc.broadcast(new IdsScan.SelectedDocs(perDoc));
    } else {
      Dataset<Row> items =
          spark
              .createDataFrame(
                  meta.mapPartitions(new Selection.SelectedItems(gen, cutoffs)),
                  Selection.ITEM_SCHEMA)
              .orderBy(col("order_key"), col("doc_id"), col("piece"), col("copy"));
      sorted = items.javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
      List<Placement.Stats> parts =
          new ArrayList<>(
              sorted.mapPartitionsWithIndex(new Placement.PartitionStats(), true).collect());
      parts.sort((a, b) -> Integer.compare(a.partition, b.partition));
      long[] starts = new long[sorted.getNumPartitions()];
      total = new Placement.Stats();
      for (Placement.Stats st : parts) {
        starts[st.partition] = total.tokens;
        total.add(st);
      }
      checkBudget(total, plan);
      JavaRDD<Row> placed = sorted.mapPartitionsWithIndex(new Placement.Place(starts), true);
      byDoc =
          spark
              .createDataFrame(placed, Placement.PLACED_SCHEMA)
              .groupBy(col("doc_id"))
              .agg(
                  collect_list(
                          struct(
                              col("global_start"),
                              col("domain"),
                              col("piece"),
                              col("copy"),
                              col("from_token"),
                              col("tokens")))
                      .as("items"));
      // Only selected documents' ids go on: a Bloom filter of their doc ids (no false
      // negatives) drops the others right after the scan, and while the selection is small the
      // items are broadcast so the ids are not shuffled at all.
      selectedDocs =
          jsc.broadcast(
              sorted
                  .mapPartitions(new Selection.DocFilter(total.items))
                  .treeReduce(BloomFilter::mergeInPlace));
    }

    // c. Join with the token ids of selected documents, split into fragments, assemble rows.
    long rows = cfg.packing().rows(total.tokens);
    int seqLen = cfg.packing().seqLen();
    JavaRDD<RowFragment> fragments;
    if (scanDocs != null) {
      List<String> inputFiles = ParquetFooters.dataFiles(hconf, cfg.input());
      fragments =
          jsc.parallelize(inputFiles, Math.max(1, inputFiles.size()))
              .mapPartitions(
                  new IdsScan(jsc.broadcast(hconf), scanDocs, progress.ids, seqLen, rows));
    } else {
      Broadcast<BloomFilter> docFilter = selectedDocs;
      UserDefinedFunction selected =
          udf(
              (UDF1<Long, Boolean>) id -> docFilter.value().mightContainLong(id),
              DataTypes.BooleanType);
      Dataset<Row> ids =
          spark
              .read()
              .parquet(cfg.input())
              .select(col("doc_id"), col("input_ids"))
              .where(progress.ids.count(size(col("input_ids"))))
              .filter(selected.apply(col("doc_id")));
      boolean broadcastJoin = total.items <= broadcastItems;
      fragments =
          ids.join(broadcastJoin ? broadcast(byDoc) : byDoc, "doc_id")
              .select(col("doc_id"), col("input_ids"), col("items"))
              .queryExecution()
              .toRdd()
              .toJavaRDD()
              .mapPartitions(new Placement.Fragments(seqLen, rows));
    }
    // Files of at most TOKENS_PER_FILE tokens, and at least MIN_FILES so that a small output is
    // still assembled and written by several tasks; fixed by the row count alone, never by the
    // cluster, so the same config writes the same files anywhere.
    int files =
        (int)
            Math.max(
                1,
                Math.min(
                    rows,
                    Math.max(MIN_FILES, (total.tokens + TOKENS_PER_FILE - 1) / TOKENS_PER_FILE)));
    RowDigest digestAcc = new RowDigest();
    spark.sparkContext().register(digestAcc, "longmix.pack.digest");
    // The shuffle that carries every output token, with its own serializer (FragmentSerializer).
    ClassTag<Long> keyTag = ClassTag$.MODULE$.apply(Long.class);
    ClassTag<RowFragment> fragmentTag = ClassTag$.MODULE$.apply(RowFragment.class);
    ShuffledRDD<Long, RowFragment, RowFragment> shuffled =
        new ShuffledRDD<Long, RowFragment, RowFragment>(
                fragments.mapToPair(f -> Placement.RowRanges.keyed(f, seqLen)).rdd(),
                new Placement.RowRanges(files, rows, seqLen),
                keyTag,
                fragmentTag,
                fragmentTag)
            .setSerializer(new FragmentSerializer());
    JavaRDD<InternalRow> packed =
        JavaPairRDD.fromRDD(shuffled, keyTag, fragmentTag)
            .values()
            .mapPartitions(new Placement.Assemble(cfg.packing(), digestAcc));
    Frames.fromInternalRows(spark, packed, Placement.PACKED_SCHEMA)
        .where(progress.rows.count(col("n_tokens")))
        .write()
        .mode(SaveMode.Append)
        .option("compression", "zstd")
        .option("parquet.enable.dictionary#input_ids.list.element", "false")
        .option("parquet.page.size.row.check.min", "1")
        .option("parquet.page.size.row.check.max", "1")
        .option("parquet.block.size", Long.toString(64L << 20))
        .format(DirectParquetFormat.NAME)
        .save(cfg.output());
    if (sorted != null) {
      sorted.unpersist(false);
    }
    meta.unpersist(false);

    // The digest came from the rows as they were written (RowDigest); the committed files'
    // footers must hold exactly the planned rows.
    long written = ParquetFooters.rows(jsc, hconf, cfg.output());
    String digest = rows == 0 ? "0" : Long.toHexString(digestAcc.value());
    if (written != rows) {
      throw new IllegalStateException("wrote " + written + " rows, expected " + rows);
    }
    long dropped = cfg.packing().droppedTokens(total.tokens);
    long pad = cfg.packing().padTokens(total.tokens);
    Report report = new Report(plan, cfg.fig2(), total);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stage", "pack");
    m.put("complete", true);
    m.put("fingerprint", cfg.fingerprint());
    m.put("input_fingerprint", cfg.inputFingerprint());
    m.put("created", Instant.now().toString());
    m.put("config", cfg.resolved());
    m.put("plan_config", plan.config());
    m.put("seed", plan.config().seed());
    m.put("tokenizer_sha256", cfg.tokenizerSha256());
    m.put("input", cfg.input());
    m.put("histogram", cfg.histogram());
    m.put("plan", plan.toTable(cfg.packing().seqLen(), Plan.BATCH_TOKENS_DEFAULT).split("\n"));
    m.put("cutoffs", new TreeMap<>(cutoffs));
    m.put("report", report.toMap());
    Map<String, Object> repetition = new LinkedHashMap<>();
    repetition.put("items", total.items);
    repetition.put("repeated_items", total.repeatedItems);
    repetition.put("repeated_tokens", total.repeatedTokens);
    repetition.put("max_copy", total.maxCopy);
    m.put("repetition", repetition);
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("seq_len", cfg.packing().seqLen());
    counts.put("tail", cfg.packing().tail().name().toLowerCase(Locale.ROOT));
    counts.put("rows", rows);
    counts.put("content_digest", digest);
    counts.put("selected_tokens", total.tokens);
    counts.put("output_tokens", rows * cfg.packing().seqLen());
    counts.put("dropped_tail_tokens", dropped);
    counts.put("pad_tokens", pad);
    counts.put("batches_of_4M", rows * cfg.packing().seqLen() / (double) Plan.BATCH_TOKENS_DEFAULT);
    m.put("counts", counts);
    m.put("schema", Placement.PACKED_SCHEMA.simpleString());
    m.put("seconds", Math.round((System.nanoTime() - t0) / 1e6) / 1000.0);
    m.put("versions", Versions.all());
    PackReport.write(hconf.get(), cfg, plan, report, total, rows);
    Manifests.write(hconf.get(), cfg.output(), m);

    out.print(report.table());
    out.printf(
        Locale.ROOT,
        "[pack] %,d rows of %,d tokens (%,.1f batches of 4M); %,d items, %,d repeated (max copy"
            + " %d); tail: %,d tokens dropped, %,d pad tokens; digest %s; %.1fs%n",
        rows,
        cfg.packing().seqLen(),
        rows * cfg.packing().seqLen() / (double) Plan.BATCH_TOKENS_DEFAULT,
        total.items,
        total.repeatedItems,
        total.maxCopy,
        dropped,
        pad,
        digest,
        (System.nanoTime() - t0) / 1e9);
    Map<String, Double> shares = new TreeMap<>();
    total.domainTokens.forEach((d, t) -> shares.put(d, t / (double) total.tokens));
    return new Result(
        rows, total.tokens, dropped, pad, shares, total.longTokens / (double) total.tokens, m);
  }

  private static void checkBudget(Placement.Stats total, Plan plan) {
    if (total.tokens != plan.budgetTokens()) {
      throw new IllegalStateException(
          "selected " + total.tokens + " tokens but the budget is " + plan.budgetTokens());
    }
  }

  /** Target versus achieved per domain, per Fig. 2 bin and for the long share. */
  static final class Report {
    private final Plan plan;
    private final LengthHistogram fig2;
    private final Placement.Stats achieved;

    Report(Plan plan, LengthHistogram fig2, Placement.Stats achieved) {
      this.plan = plan;
      this.fig2 = fig2;
      this.achieved = achieved;
    }

    /**
     * Planned share per Fig. 2 bin: each class's expected tokens spread over its bins in proportion
     * to the tokens the bins hold, since selection is uniform within a class. A bin counts as long
     * when its lower edge is at or above the long threshold (exact for the default 4,096, an edge).
     */
    double[] plannedBins() {
      LengthBins bins = fig2.bins();
      double[] out = new double[bins.count()];
      double total = 0;
      for (DomainPlan d : plan.domains()) {
        for (int b = 0; b < bins.count(); b++) {
          boolean isLong = bins.lowerExclusive(b) >= plan.config().longThreshold();
          ClassPlan c = isLong ? d.longClass() : d.shortClass();
          if (c.tokensAvailable() > 0) {
            double e = c.expectedTokens() * fig2.tokens(d.domain(), b) / c.tokensAvailable();
            out[b] += e;
            total += e;
          }
        }
      }
      for (int b = 0; b < out.length; b++) {
        out[b] = total == 0 ? 0 : out[b] / total;
      }
      return out;
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      Map<String, Object> domains = new LinkedHashMap<>();
      for (DomainPlan d : plan.domains()) {
        Map<String, Object> dm = new LinkedHashMap<>();
        long t = achieved.domainTokens.getOrDefault(d.domain(), 0L);
        dm.put("target_share", d.targetShare());
        dm.put("planned_share", d.expectedShare());
        dm.put("achieved_share", t / (double) achieved.tokens);
        dm.put("achieved_tokens", t);
        long lt = achieved.domainLongTokens.getOrDefault(d.domain(), 0L);
        dm.put("keep_rate", d.shortClass().rate());
        dm.put("effective_keep_rate", d.effectiveKeepRate());
        dm.put("formula_long_share", d.formulaLongShare());
        dm.put("planned_long_share", d.expectedLongShare());
        dm.put("achieved_long_share", t == 0 ? 0.0 : lt / (double) t);
        dm.put("achieved_long_tokens", lt);
        dm.put("follows_keep_rule", d.followsKeepRule());
        domains.put(d.domain(), dm);
      }
      m.put("domains", domains);
      LengthBins bins = LengthBins.fig2();
      double[] planned = plannedBins();
      Map<String, Object> bm = new LinkedHashMap<>();
      for (int b = 0; b < bins.count(); b++) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("planned_share", planned[b]);
        one.put("achieved_share", achieved.binTokens[b] / (double) achieved.tokens);
        one.put("achieved_tokens", achieved.binTokens[b]);
        bm.put(bins.label(b), one);
      }
      m.put("fig2_bins", bm);
      m.put("planned_long_share", plan.expectedLongShare());
      m.put("achieved_long_share", achieved.longTokens / (double) achieved.tokens);
      m.put("max_item_tokens", achieved.maxItemTokens);
      m.put("granularity_points", granularityPoints());
      m.put("budget_tokens", plan.budgetTokens());
      m.put("selected_tokens", achieved.tokens);
      return m;
    }

    /**
     * How far, in share points, one draw can sit from the plan's expectation because items come
     * whole: 100·sqrt(Σ t_i²)/N over the selected items, the standard deviation of a share whose
     * items were each included by a fair coin. A few book-length items make it large; then the
     * achieved shares of draws without per-class budgets vary with the seed by about this much.
     * Domain and long shares are drawn per (domain, length class) pool and so are exact; the Fig. 2
     * bins inside a class are not, and this is their scale of variation.
     */
    double granularityPoints() {
      return achieved.tokens == 0 ? 0 : 100 * Math.sqrt(achieved.sumSquares) / achieved.tokens;
    }

    String table() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          f(
              "%-24s %8s %8s %8s %8s %16s%n",
              "domain", "target", "planned", "achieved", "diff pt", "tokens"));
      for (DomainPlan d : plan.domains()) {
        long t = achieved.domainTokens.getOrDefault(d.domain(), 0L);
        double a = t / (double) achieved.tokens;
        sb.append(
            f(
                "%-24s %8.4f %8.4f %8.4f %+8.3f %,16d%n",
                d.domain(),
                d.targetShare(),
                d.expectedShare(),
                a,
                100 * (a - d.expectedShare()),
                t));
      }
      double al = achieved.longTokens / (double) achieved.tokens;
      sb.append(
          f(
              "%-24s %8s %8.4f %8.4f %+8.3f %,16d%n",
              "long (>" + plan.config().longThreshold() + ")",
              "",
              plan.expectedLongShare(),
              al,
              100 * (al - plan.expectedLongShare()),
              achieved.longTokens));
      // Per domain, the "target" column is the keep rule's long share p/(p + r(1−p)); a plan that
      // filled a domain past the rule (fill-short) is marked where it differs from the plan.
      sb.append(f("%-24s (target: the keep rule's p/(p + r(1-p)))%n", "long share per domain"));
      for (DomainPlan d : plan.domains()) {
        long t = achieved.domainTokens.getOrDefault(d.domain(), 0L);
        long lt = achieved.domainLongTokens.getOrDefault(d.domain(), 0L);
        double a = t == 0 ? 0 : lt / (double) t;
        sb.append(
            f(
                "%-24s %8.4f %8.4f %8.4f %+8.3f %,16d%s%n",
                "  long in " + shortName(d.domain()),
                d.formulaLongShare(),
                d.expectedLongShare(),
                a,
                100 * (a - d.expectedLongShare()),
                lt,
                d.followsKeepRule()
                    ? ""
                    : f(" keep rate %.4f -> %.4f", d.shortClass().rate(), d.effectiveKeepRate())));
      }
      LengthBins bins = LengthBins.fig2();
      double[] planned = plannedBins();
      for (int b = 0; b < bins.count(); b++) {
        double a = achieved.binTokens[b] / (double) achieved.tokens;
        sb.append(
            f(
                "%-24s %8s %8.4f %8.4f %+8.3f %,16d%n",
                "bin " + bins.label(b),
                "",
                planned[b],
                a,
                100 * (a - planned[b]),
                achieved.binTokens[b]));
      }
      sb.append(
          f(
              "%-24s %,d of budget %,d; largest item %,d tokens; bin shares vary ±%.2f points"
                  + " by seed%n",
              "selected tokens",
              achieved.tokens,
              plan.budgetTokens(),
              achieved.maxItemTokens,
              granularityPoints()));
      return sb.toString();
    }

    private static String f(String format, Object... args) {
      return String.format(Locale.ROOT, format, args);
    }

    /** SlimPajama's set names without their common prefix, so the table keeps its columns. */
    private static String shortName(String domain) {
      return domain.startsWith("RedPajama") && domain.length() > 9 ? domain.substring(9) : domain;
    }
  }
}
