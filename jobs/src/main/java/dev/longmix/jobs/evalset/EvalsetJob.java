package dev.longmix.jobs.evalset;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.eval.CellFill;
import dev.longmix.common.eval.Haystack;
import dev.longmix.common.eval.NeedleGrid;
import dev.longmix.common.tokenizer.HfTokenizer;
import dev.longmix.common.tokenizer.SpecialTokens;
import dev.longmix.common.tokenizer.TokenDecoder;
import dev.longmix.jobs.fast.Frames;
import dev.longmix.jobs.manifest.EvalsetManifest;
import dev.longmix.jobs.manifest.HoldoutManifest;
import dev.longmix.jobs.manifest.ManifestHeader;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.spark.FileGroups;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.OutputGuard;
import dev.longmix.jobs.spark.ParquetFooters;
import dev.longmix.jobs.spark.TaskHook;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The evalset stage: a tokenized dataset → validation sets per domain × length class and needle
 * prompts, from its eval pool (a recorded holdout, or the whole input). Three passes: the pool's
 * lengths (every file's doc_id, domain, n_tokens), the haystack documents' ids, then the validation
 * documents' ids (and, when the holdout is recorded now, every pool document's ids hash). Every
 * check that needs the data runs before anything is written.
 */
public final class EvalsetJob {
  static final String VALIDATION = "validation";

  /** The validation rows' columns: the contract's, plus the length before any cut. */
  static final StructType VALIDATION_SCHEMA =
      new StructType()
          .add("doc_id", DataTypes.LongType, false)
          .add("domain", DataTypes.StringType, false)
          .add("length_class", DataTypes.StringType, false)
          .add("n_tokens", DataTypes.IntegerType, false)
          .add("cut", DataTypes.BooleanType, false)
          .add("doc_tokens", DataTypes.IntegerType, false)
          .add("input_ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false);

  private EvalsetJob() {}

  /** What a run produced: the manifest written beside the tables. */
  public record Result(EvalsetManifest manifest) {}

  /** A pool document on the driver. */
  private record PoolDoc(long docId, String domain, int nTokens, int file) {}

  /** A validation document chosen, with its cell. */
  private record Pick(String domain, String label, CellFill.Taken taken, int file) {}

  public static Result run(SparkSession spark, EvalsetConfig cfg, PrintStream out) {
    long t0 = System.nanoTime();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf hconf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    List<ParquetFooters.DataFile> files = ParquetFooters.list(hconf, cfg.input());
    List<int[]> groups =
        FileGroups.of(spark, files.stream().mapToLong(ParquetFooters.DataFile::bytes).toArray());
    Broadcast<HadoopConf> conf = jsc.broadcast(hconf);
    Broadcast<List<String>> paths =
        jsc.broadcast(files.stream().map(ParquetFooters.DataFile::path).toList());

    // Pass 1: the pool's documents.
    List<PoolScan.PoolFile> scanned =
        jsc.parallelize(groups, Math.max(1, groups.size()))
            .mapPartitions(TaskHook.wrap("evalset", new PoolScan(conf, paths, cfg.holdout())))
            .collect();
    List<PoolDoc> pool = new ArrayList<>();
    long inputDocs = 0;
    long inputTokens = 0;
    for (PoolScan.PoolFile f : scanned) {
      inputDocs += f.documents();
      inputTokens += f.tokens();
      for (int i = 0; i < f.docIds().length; i++) {
        pool.add(new PoolDoc(f.docIds()[i], f.domains()[f.domain()[i]], f.nTokens()[i], f.file()));
      }
    }
    pool.sort((a, b) -> Long.compare(a.docId(), b.docId()));
    long poolTokens = pool.stream().mapToLong(PoolDoc::nTokens).sum();
    out.printf(
        Locale.ROOT,
        "[evalset] eval pool: %,d of %,d documents, %,d of %,d tokens (%s)%n",
        pool.size(),
        inputDocs,
        poolTokens,
        inputTokens,
        cfg.holdout() == null
            ? "the whole input"
            : "holdout " + cfg.holdout().fraction() + ", seed " + cfg.holdout().seed());

    // The cells, chosen on the driver from the pool's lengths.
    List<EvalsetManifest.Cell> cells = new ArrayList<>();
    List<Pick> picks = new ArrayList<>();
    for (String domain : cfg.domains()) {
      Map<String, List<PoolDoc>> byClass = new LinkedHashMap<>();
      for (String label : cfg.classes().labels()) {
        byClass.put(label, new ArrayList<>());
      }
      for (PoolDoc d : pool) {
        if (d.domain().equals(domain)) {
          byClass.get(cfg.classes().label(d.nTokens())).add(d);
        }
      }
      for (Map.Entry<String, List<PoolDoc>> e : byClass.entrySet()) {
        Map<Long, PoolDoc> byId = new HashMap<>();
        List<CellFill.Candidate> candidates = new ArrayList<>();
        long poolCellTokens = 0;
        for (PoolDoc d : e.getValue()) {
          byId.put(d.docId(), d);
          candidates.add(new CellFill.Candidate(d.docId(), d.nTokens()));
          poolCellTokens += Math.min(d.nTokens(), cfg.maxDocTokens());
        }
        List<CellFill.Taken> taken =
            CellFill.fill(cfg.seed(), candidates, cfg.tokensPerCell(), cfg.maxDocTokens());
        long tokens = 0;
        long cut = 0;
        for (CellFill.Taken t : taken) {
          tokens += t.tokens();
          cut += t.cut() ? 1 : 0;
          picks.add(new Pick(domain, e.getKey(), t, byId.get(t.docId()).file()));
        }
        cells.add(
            new EvalsetManifest.Cell(
                domain,
                e.getKey(),
                taken.size(),
                tokens,
                cut,
                cfg.tokensPerCell(),
                e.getValue().size(),
                poolCellTokens,
                // Full unless every document of the pool's cell went in and the budget was not met.
                taken.size() < e.getValue().size() || tokens == cfg.tokensPerCell()));
      }
    }

    // The haystack: the pool's long documents of the haystack domains, domain by domain in keyed
    // order, read and tokenized as one text; checked before anything is written.
    int[] head = cfg.framing().head();
    int frame = head.length + cfg.framing().tail().length;
    long need = (long) cfg.grid().longest() - head.length - cfg.needleIds().length;
    List<PoolDoc> candidates = new ArrayList<>();
    for (String d : cfg.haystackDomains()) {
      List<PoolDoc> of =
          pool.stream()
              .filter(p -> p.domain().equals(d) && p.nTokens() > EvalsetConfig.HAYSTACK_MIN_TOKENS)
              .toList();
      candidates.addAll(CellFill.inKeyedOrder(cfg.seed(), of, PoolDoc::docId));
    }
    long poolLong = candidates.stream().mapToLong(p -> p.nTokens() - frame).sum();
    if (poolLong < need) {
      throw tooShort(cfg, need, poolLong, candidates.size(), "");
    }
    try (TokenDecoder decoder = TokenDecoder.fromJson(cfg.tokenizer().json())) {
      return write(
          spark,
          cfg,
          out,
          t0,
          jsc,
          hconf,
          groups,
          conf,
          paths,
          pool,
          poolTokens,
          cells,
          picks,
          candidates,
          poolLong,
          need,
          decoder);
    }
  }

  /** From the haystack on: the passes that read ids, and every file written. */
  private static Result write(
      SparkSession spark,
      EvalsetConfig cfg,
      PrintStream out,
      long t0,
      JavaSparkContext jsc,
      HadoopConf hconf,
      List<int[]> groups,
      Broadcast<HadoopConf> conf,
      Broadcast<List<String>> paths,
      List<PoolDoc> pool,
      long poolTokens,
      List<EvalsetManifest.Cell> cells,
      List<Pick> picks,
      List<PoolDoc> candidates,
      long poolLong,
      long need,
      TokenDecoder decoder) {
    int[] head = cfg.framing().head();
    int frame = head.length + cfg.framing().tail().length;
    Haystack haystack;
    List<PoolDoc> hay = new ArrayList<>();
    try (HfTokenizer bare =
        HfTokenizer.fromJson(
            cfg.tokenizer().json(),
            SpecialTokens.NONE,
            cfg.framing().bosToken(),
            cfg.framing().eosToken())) {
      List<String> texts = new ArrayList<>();
      long want = need + need / 10 + 4096; // re-tokenizing the joined text moves the count a bit
      while (true) {
        List<PoolDoc> more = new ArrayList<>();
        long have = hay.stream().mapToLong(p -> p.nTokens() - frame).sum();
        for (int i = hay.size(); i < candidates.size() && have < want; i++) {
          more.add(candidates.get(i));
          have += candidates.get(i).nTokens() - frame;
        }
        Map<Long, int[]> ids = readIds(jsc, groups, conf, paths, more, Integer.MAX_VALUE);
        for (PoolDoc p : more) {
          int[] doc = ids.get(p.docId());
          texts.add(
              decoder.decode(doc, head.length, doc.length - cfg.framing().tail().length, false));
          hay.add(p);
        }
        haystack = Haystack.of(texts, bare::encode, decoder::tokenText);
        if (haystack.length() >= need) {
          break;
        }
        if (hay.size() == candidates.size()) {
          throw tooShort(
              cfg, need, haystack.length(), candidates.size(), " once their text is tokenized");
        }
        want += want / 2;
      }
    }
    out.printf(
        Locale.ROOT,
        "[evalset] haystack: %,d documents (%s), %,d tokens; the longest prompt needs %,d%n",
        hay.size(),
        String.join(", ", cfg.haystackDomains()),
        haystack.length(),
        need);

    // From here on the outputs are written: the evalset, and the holdout record when this run
    // declares it (its started marker is the declaration pack looks for).
    OutputGuard.begin(hconf.get(), cfg.output(), cfg.fingerprint());
    boolean record = cfg.writesHoldout();
    if (record) {
      OutputGuard.begin(hconf.get(), HoldoutRecord.dir(cfg.input()), cfg.holdoutFingerprint());
    }

    // Pass 3: the validation documents' ids (cut to the maximum), and every pool document's ids
    // hash when the record is written now.
    long[] keep = picks.stream().mapToLong(p -> p.taken().docId()).sorted().toArray();
    HashMap<Integer, List<Long>> wantedLists = new HashMap<>();
    if (record) {
      for (PoolDoc p : pool) {
        wantedLists.computeIfAbsent(p.file(), k -> new ArrayList<>()).add(p.docId());
      }
    } else {
      for (Pick p : picks) {
        wantedLists.computeIfAbsent(p.file(), k -> new ArrayList<>()).add(p.taken().docId());
      }
    }
    JavaRDD<IdsPass.Doc> docs =
        idsPass(jsc, groups, conf, paths, wantedLists, keep, cfg.maxDocTokens())
            .persist(StorageLevel.MEMORY_AND_DISK());
    Map<Long, Pick> pickOf = new HashMap<>();
    for (Pick p : picks) {
      pickOf.put(p.taken().docId(), p);
    }
    Broadcast<HashMap<Long, String[]>> cellOf =
        jsc.broadcast(
            new HashMap<>(
                picks.stream()
                    .collect(
                        java.util.stream.Collectors.toMap(
                            p -> p.taken().docId(), p -> new String[] {p.domain(), p.label()}))));
    String validationDir = new Path(cfg.output(), VALIDATION).toString();
    JavaRDD<InternalRow> rows =
        docs.filter(d -> d.ids() != null)
            .map(
                d -> {
                  String[] cell = cellOf.value().get(d.docId());
                  return (InternalRow)
                      new GenericInternalRow(
                          new Object[] {
                            d.docId(),
                            UTF8String.fromString(cell[0]),
                            UTF8String.fromString(cell[1]),
                            d.ids().length,
                            d.ids().length < d.nTokens(),
                            d.nTokens(),
                            UnsafeArrayData.fromPrimitiveArray(d.ids())
                          });
                });
    Frames.fromInternalRows(spark, rows, VALIDATION_SCHEMA)
        .orderBy("domain", "length_class", "doc_id")
        .write()
        .mode(SaveMode.Overwrite)
        .option("compression", "zstd")
        .parquet(validationDir);
    long written = ParquetFooters.rows(jsc, hconf, validationDir);
    if (written != picks.size()) {
      throw new IllegalStateException(
          "wrote " + written + " validation documents, chose " + picks.size());
    }

    EvalsetManifest.Pool poolInfo;
    if (cfg.holdout() == null) {
      poolInfo =
          new EvalsetManifest.Pool("whole-input", null, null, null, null, pool.size(), poolTokens);
    } else {
      poolInfo =
          new EvalsetManifest.Pool(
              "holdout",
              cfg.holdout().fraction(),
              cfg.holdout().seed(),
              HoldoutRecord.dir(cfg.input()),
              cfg.holdoutFingerprint(),
              pool.size(),
              poolTokens);
    }
    if (record) {
      Map<Long, Long> hashes = new HashMap<>();
      for (long[] d : docs.map(d -> new long[] {d.docId(), d.idsHash()}).collect()) {
        hashes.put(d[0], d[1]);
      }
      writeRecord(hconf, cfg, pool, hashes, (System.nanoTime() - t0) / 1e9);
      out.println(
          "[evalset] recorded the holdout in "
              + HoldoutRecord.dir(cfg.input())
              + ": every pack of "
              + cfg.input()
              + " now leaves its "
              + String.format(Locale.ROOT, "%,d", pool.size())
              + " documents out");
    }
    docs.unpersist(false);

    long prompts =
        NeedleFiles.write(
            hconf.get(),
            cfg.output(),
            haystack,
            head,
            cfg.needleIds(),
            cfg.questionIds(),
            cfg.text(),
            cfg.grid(),
            decoder);

    NeedleGrid grid = cfg.grid();
    EvalsetManifest manifest =
        new EvalsetManifest(
            cfg.tokenizer().sha256(),
            cfg.input(),
            cfg.inputFingerprint(),
            cfg.seed(),
            poolInfo,
            cfg.classes().cliName(),
            cfg.tokensPerCell(),
            cfg.maxDocTokens(),
            cells,
            new EvalsetManifest.Needle(
                grid.contextLengths(),
                grid.depthsPercent(),
                cfg.text().needle(),
                cfg.text().question(),
                cfg.text().answer(),
                cfg.text().questionPrompt(),
                Arrays.stream(head).boxed().toList(),
                Arrays.stream(cfg.needleIds()).boxed().toList(),
                prompts,
                new EvalsetManifest.Haystack(
                    cfg.haystackDomains(),
                    hay.stream()
                        .map(
                            p ->
                                new EvalsetManifest.HaystackDocument(
                                    p.docId(), p.domain(), p.nTokens()))
                        .toList(),
                    haystack.length(),
                    poolLong)),
            new EvalsetManifest.Files(VALIDATION + "/", NeedleFiles.DIR + "/", NeedleFiles.JSONL),
            Math.round((System.nanoTime() - t0) / 1e6) / 1000.0);
    Manifests.write(
        hconf.get(),
        cfg.output(),
        ManifestHeader.now(EvalsetManifest.STAGE, true, cfg.fingerprint(), cfg.resolved()),
        manifest);
    return new Result(manifest);
  }

  private static ConfigException tooShort(
      EvalsetConfig cfg, long need, long have, int documents, String when) {
    return ConfigException.invalid(
        NeedleGrid.LENGTHS,
        cfg.resolved().getOrDefault(NeedleGrid.LENGTHS, NeedleGrid.AUTHORS),
        "the longest, "
            + cfg.grid().longest()
            + " tokens, needs "
            + need
            + " haystack tokens, but the eval pool's long documents (over "
            + EvalsetConfig.HAYSTACK_MIN_TOKENS
            + " tokens) of "
            + cfg.haystackDomains()
            + " hold "
            + have
            + when
            + " ("
            + documents
            + " documents): lower the longest context length, add --"
            + EvalsetConfig.HAYSTACK_DOMAINS
            + (cfg.holdout() == null ? "" : ", or raise --holdout-fraction")
            + " (checked after reading the documents' lengths, before anything was written)");
  }

  /** The ids of {@code docs}, read from their files. */
  private static Map<Long, int[]> readIds(
      JavaSparkContext jsc,
      List<int[]> groups,
      Broadcast<HadoopConf> conf,
      Broadcast<List<String>> paths,
      List<PoolDoc> docs,
      int maxKeep) {
    HashMap<Integer, List<Long>> wanted = new HashMap<>();
    for (PoolDoc p : docs) {
      wanted.computeIfAbsent(p.file(), k -> new ArrayList<>()).add(p.docId());
    }
    long[] keep = docs.stream().mapToLong(PoolDoc::docId).sorted().toArray();
    Map<Long, int[]> out = new HashMap<>();
    if (docs.isEmpty()) {
      return out;
    }
    for (IdsPass.Doc d : idsPass(jsc, groups, conf, paths, wanted, keep, maxKeep).collect()) {
      out.put(d.docId(), d.ids());
    }
    return out;
  }

  private static JavaRDD<IdsPass.Doc> idsPass(
      JavaSparkContext jsc,
      List<int[]> groups,
      Broadcast<HadoopConf> conf,
      Broadcast<List<String>> paths,
      HashMap<Integer, List<Long>> wantedLists,
      long[] keep,
      int maxKeep) {
    HashMap<Integer, long[]> wanted = new HashMap<>();
    wantedLists.forEach(
        (f, l) -> wanted.put(f, l.stream().mapToLong(Long::longValue).sorted().toArray()));
    // Only the groups that hold a wanted document get a task.
    List<int[]> busy = new ArrayList<>();
    for (int[] g : groups) {
      if (Arrays.stream(g).anyMatch(wanted::containsKey)) {
        busy.add(g);
      }
    }
    return jsc.parallelize(busy, Math.max(1, busy.size()))
        .mapPartitions(
            TaskHook.wrap(
                "evalset",
                new IdsPass(conf, paths, jsc.broadcast(wanted), jsc.broadcast(keep), maxKeep)));
  }

  private static void writeRecord(
      HadoopConf hconf,
      EvalsetConfig cfg,
      List<PoolDoc> pool,
      Map<Long, Long> hashes,
      double seconds) {
    int n = pool.size();
    long[] ids = new long[n];
    String[] domains = new String[n];
    int[] tokens = new int[n];
    long[] h = new long[n];
    Map<String, long[]> perDomain = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      PoolDoc p = pool.get(i);
      ids[i] = p.docId();
      domains[i] = p.domain();
      tokens[i] = p.nTokens();
      Long hash = hashes.get(p.docId());
      if (hash == null) {
        throw new IllegalStateException("no ids hash for pool document " + p.docId());
      }
      h[i] = hash;
      long[] c = perDomain.computeIfAbsent(p.domain(), k -> new long[2]);
      c[0]++;
      c[1] += p.nTokens();
    }
    HoldoutRecord.Documents docs = new HoldoutRecord.Documents(ids, domains, tokens, h);
    HoldoutRecord.write(hconf.get(), cfg.input(), docs);
    Map<String, HoldoutManifest.DomainCounts> counts = new TreeMap<>();
    perDomain.forEach((d, c) -> counts.put(d, new HoldoutManifest.DomainCounts(c[0], c[1])));
    Map<String, String> config = new TreeMap<>();
    config.put(
        dev.longmix.common.eval.HoldoutRule.FRACTION, Double.toString(cfg.holdout().fraction()));
    config.put(dev.longmix.common.eval.HoldoutRule.SEED, Long.toString(cfg.holdout().seed()));
    Manifests.write(
        hconf.get(),
        HoldoutRecord.dir(cfg.input()),
        ManifestHeader.now(HoldoutManifest.STAGE, true, cfg.holdoutFingerprint(), config),
        new HoldoutManifest(
            cfg.input(),
            cfg.inputFingerprint(),
            cfg.tokenizer().sha256(),
            cfg.holdout().seed(),
            cfg.holdout().fraction(),
            cfg.holdout().describe(),
            n,
            docs.tokens(),
            counts,
            HoldoutRecord.FILE,
            "IdsHash/1: murmur3-style 64-bit hash of all of the document's input_ids, then its"
                + " length (dev.longmix.common.eval.IdsHash)",
            Math.round(seconds * 1000) / 1000.0));
  }
}
