package dev.longmix.demo;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a synthetic corpus in SlimPajama's exact on-disk layout, so the pipeline can run end to
 * end on a fresh machine without downloading or committing anyone's text.
 *
 * <p>Layout: {@code dir/train/chunk1/example_train_{0..N-1}.jsonl.zst}; one JSON object per line,
 * {@code {"text": "...", "meta": {"redpajama_set_name": "RedPajama..."}}}, written the way Python's
 * {@code json.dumps} writes it (", " and ": " separators, non-ASCII as {@code \\uXXXX}); all seven
 * domains are mixed in every file.
 *
 * <p>Text is pseudo-language built from syllables, shaped per domain (web pages, code, LaTeX,
 * Q&amp;A, titled articles, chaptered books). Lengths are log-normal per domain with
 * SlimPajama-like medians, and token shares follow SlimPajama's, counting ~4 characters per token.
 * A few documents carry valid-but-awkward content: literal {@code </s>}, {@code <s>}, {@code
 * <|endoftext|>}, accents, CJK, emoji, tabs, CRLF, a control character, a very long whitespace-free
 * run.
 *
 * <p>Deterministic: the same seed and scale give byte-identical files (for a given zstd-jni
 * version).
 */
public final class SampleCorpus {

  /**
   * Characters per nominal token used for sizing (English prose's ratio). The pseudo-words are not
   * in any real vocabulary, so real tokenizers split them finer: the Mistral-7B tokenizer measured
   * ~2.4 characters per token on demo output, i.e. about 1.7x the nominal token counts here.
   */
  public static final int CHARS_PER_TOKEN = 4;

  /** The seed {@link #main} uses when none is given. */
  public static final long DEFAULT_SEED = 20240601L;

  /** How much to write. */
  public enum Scale {
    /** ~0.4M tokens in 2 files: for quick tests; no 100K-token books. */
    TINY(400_000L, 2, 0),
    /** ~5M tokens (~20 MB of text) in 4 files, with three books of 100K+ tokens. */
    DEMO(5_000_000L, 4, 3),
    /** ~50M tokens (~200 MB of text) in 16 files. */
    LARGE(50_000_000L, 16, 3);

    private final long targetTokens;
    private final int files;
    private final int longBooks;

    Scale(long targetTokens, int files, int longBooks) {
      this.targetTokens = targetTokens;
      this.files = files;
      this.longBooks = longBooks;
    }

    /** Nominal size in tokens (at {@link #CHARS_PER_TOKEN} characters per token). */
    public long targetTokens() {
      return targetTokens;
    }

    /** Number of {@code example_train_*.jsonl.zst} files. */
    public int files() {
      return files;
    }

    /** Books guaranteed to be longer than 100K tokens (400K characters). */
    public int longBooks() {
      return longBooks;
    }
  }

  /** The seven SlimPajama sources, with their token shares and document-length shapes. */
  public enum Domain {
    COMMON_CRAWL("RedPajamaCommonCrawl", 0.522, 1_000, 1.0, 40, 50_000),
    C4("RedPajamaC4", 0.267, 300, 0.8, 25, 6_000),
    GITHUB("RedPajamaGithub", 0.052, 500, 1.1, 15, 30_000),
    BOOK("RedPajamaBook", 0.042, 120_000, 0.45, 4_000, 350_000),
    ARXIV("RedPajamaArXiv", 0.046, 15_000, 0.65, 1_500, 90_000),
    WIKIPEDIA("RedPajamaWikipedia", 0.038, 400, 1.0, 30, 25_000),
    STACK_EXCHANGE("RedPajamaStackExchange", 0.033, 500, 0.9, 40, 15_000);

    private final String setName;
    private final double share;
    private final int medianTokens;
    private final double sigma;
    private final int minTokens;
    private final int maxTokens;

    Domain(
        String setName,
        double share,
        int medianTokens,
        double sigma,
        int minTokens,
        int maxTokens) {
      this.setName = setName;
      this.share = share;
      this.medianTokens = medianTokens;
      this.sigma = sigma;
      this.minTokens = minTokens;
      this.maxTokens = maxTokens;
    }

    /** The {@code meta.redpajama_set_name} value. */
    public String setName() {
      return setName;
    }

    /** SlimPajama's token share of this source. */
    public double share() {
      return share;
    }

    /** Median document length, in tokens. */
    public int medianTokens() {
      return medianTokens;
    }
  }

  /**
   * Which of SlimPajama's splits to write: {@code train/chunk1/example_train_*} or the held-out
   * {@code validation/chunk1/example_holdout_*} (a corpus of its own, drawn with another seed, for
   * evaluation data never trained on).
   */
  public enum Split {
    TRAIN("train", "example_train_"),
    VALIDATION("validation", "example_holdout_");

    private final String folder;
    private final String prefix;

    Split(String folder, String prefix) {
      this.folder = folder;
      this.prefix = prefix;
    }
  }

  /** Per-domain totals of a written corpus. Characters are UTF-16 code units of the text. */
  public record DomainStats(long docs, long chars, long maxChars) {}

  /** One written file: {@code bytes} on disk (compressed), {@code jsonBytes} before compression. */
  public record FileStats(Path path, long docs, long jsonBytes, long bytes) {}

  /** What {@link #write} produced. */
  public record Summary(
      Path dir,
      long seed,
      Scale scale,
      List<FileStats> files,
      Map<Domain, DomainStats> domains,
      Domain largestDocDomain,
      long largestDocChars,
      Duration elapsed) {

    public long totalChars() {
      return domains.values().stream().mapToLong(DomainStats::chars).sum();
    }

    public long totalDocs() {
      return domains.values().stream().mapToLong(DomainStats::docs).sum();
    }

    /** Human-readable report, as printed by {@link #main}. */
    public String format() {
      StringBuilder s = new StringBuilder();
      long total = totalChars();
      s.append(
          String.format(
              Locale.ROOT,
              "sample corpus: %s (scale %s, seed %d) in %.2f s%n",
              dir,
              scale.name().toLowerCase(Locale.ROOT),
              seed,
              elapsed.toMillis() / 1000.0));
      for (FileStats f : files) {
        s.append(
            String.format(
                Locale.ROOT,
                "  %-40s %6d docs %,13d bytes json %,12d bytes zst%n",
                dir.relativize(f.path()),
                f.docs(),
                f.jsonBytes(),
                f.bytes()));
      }
      s.append(
          String.format(
              Locale.ROOT,
              "  %-24s %7s %14s %7s %12s%n",
              "domain",
              "docs",
              "chars",
              "share",
              "max chars"));
      for (Map.Entry<Domain, DomainStats> e : domains.entrySet()) {
        DomainStats d = e.getValue();
        s.append(
            String.format(
                Locale.ROOT,
                "  %-24s %7d %,14d %6.2f%% %,12d%n",
                e.getKey().setName(),
                d.docs(),
                d.chars(),
                100.0 * d.chars() / total,
                d.maxChars()));
      }
      s.append(
          String.format(
              Locale.ROOT,
              "  %-24s %7d %,14d (~%,d tokens at %d chars/token); largest doc %,d chars (%s)%n",
              "total",
              totalDocs(),
              total,
              total / CHARS_PER_TOKEN,
              CHARS_PER_TOKEN,
              largestDocChars,
              largestDocDomain.setName()));
      return s.toString();
    }
  }

  private record Doc(Domain domain, long seed, int targetChars, TextGen.EdgeCase edge) {}

  private SampleCorpus() {}

  /**
   * Writes the corpus under {@code dir} ({@code dir/train/chunk1/...}), replacing any {@code
   * example_train_*.jsonl.zst} already in that chunk directory.
   */
  public static Summary write(Path dir, long seed, Scale scale) throws IOException {
    return write(dir, seed, scale, Split.TRAIN);
  }

  /**
   * Writes the corpus's {@code split} under {@code dir} ({@code dir/validation/chunk1/...} for the
   * held-out split), replacing that split's files already in that chunk directory.
   */
  public static Summary write(Path dir, long seed, Scale scale, Split split) throws IOException {
    long start = System.nanoTime();
    List<List<Doc>> perFile = plan(seed, scale);
    Path chunk = dir.resolve(split.folder).resolve("chunk1");
    Files.createDirectories(chunk);
    try (DirectoryStream<Path> old =
        Files.newDirectoryStream(chunk, split.prefix + "*.jsonl.zst")) {
      for (Path p : old) {
        Files.delete(p);
      }
    }
    int threads = Math.min(perFile.size(), Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(threads, 1));
    List<Future<FileResult>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < perFile.size(); i++) {
        Path file = chunk.resolve(split.prefix + i + ".jsonl.zst");
        List<Doc> docs = perFile.get(i);
        futures.add(pool.submit(() -> writeFile(file, docs)));
      }
      List<FileStats> files = new ArrayList<>();
      Map<Domain, long[]> acc = new EnumMap<>(Domain.class);
      for (Domain d : Domain.values()) {
        acc.put(d, new long[3]);
      }
      Domain largestDomain = null;
      long largest = -1;
      for (Future<FileResult> f : futures) {
        FileResult fr = get(f);
        files.add(fr.stats);
        for (Domain d : Domain.values()) {
          long[] a = acc.get(d);
          long[] b = fr.perDomain.get(d);
          a[0] += b[0];
          a[1] += b[1];
          a[2] = Math.max(a[2], b[2]);
          if (b[2] > largest) {
            largest = b[2];
            largestDomain = d;
          }
        }
      }
      Map<Domain, DomainStats> domains = new EnumMap<>(Domain.class);
      acc.forEach((d, a) -> domains.put(d, new DomainStats(a[0], a[1], a[2])));
      return new Summary(
          dir,
          seed,
          scale,
          List.copyOf(files),
          Collections.unmodifiableMap(domains),
          largestDomain,
          largest,
          Duration.ofNanos(System.nanoTime() - start));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Usage: {@code SampleCorpus [--out DIR] [--seed N] [--scale tiny|demo|large]}. */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(".longmix", "sample-corpus");
    long seed = DEFAULT_SEED;
    Scale scale = Scale.DEMO;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        System.out.println(
            "usage: SampleCorpus [--out DIR] [--seed N] [--scale tiny|demo|large]\n"
                + "  writes DIR/train/chunk1/example_train_*.jsonl.zst (default DIR "
                + out
                + ", seed "
                + DEFAULT_SEED
                + ", scale demo)");
        return;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--out" -> out = Path.of(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--scale" -> scale = Scale.valueOf(v.toUpperCase(Locale.ROOT));
        default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
      }
    }
    System.out.print(write(out, seed, scale).format());
  }

  // ------------------------------------------------------------------------------ planning

  /** Decides every document (domain, seed, length, edge case) and which file it goes to. */
  private static List<List<Doc>> plan(long seed, Scale scale) {
    SplittableRandom rng = new SplittableRandom(seed);
    int files = scale.files();
    long total = scale.targetTokens();
    // Books first: at small scales the forced long books overshoot their share, and CommonCrawl
    // (planned last) absorbs the difference so the total stays near the target.
    Domain[] order = {
      Domain.BOOK,
      Domain.C4,
      Domain.GITHUB,
      Domain.ARXIV,
      Domain.WIKIPEDIA,
      Domain.STACK_EXCHANGE,
      Domain.COMMON_CRAWL
    };
    Map<Domain, List<Doc>> byDomain = new EnumMap<>(Domain.class);
    long planned = 0;
    for (Domain d : order) {
      long budget =
          d == Domain.COMMON_CRAWL
              ? Math.max(total - planned, (long) (0.25 * total))
              : Math.round(d.share * total);
      List<Integer> lengths = new ArrayList<>();
      long sum = 0;
      if (d == Domain.BOOK) {
        for (int i = 0; i < scale.longBooks(); i++) {
          int len = 100_500 + rng.nextInt(14_000);
          lengths.add(len);
          sum += len;
        }
      }
      while (sum < budget || lengths.size() < files) {
        int len;
        if (sum < budget) {
          len = (int) Math.min(logNormal(rng, d), Math.max(d.minTokens, budget - sum));
        } else {
          // Over budget but some file still lacks this domain: add a short one.
          len = d.minTokens + rng.nextInt(d.minTokens + 1);
        }
        lengths.add(len);
        sum += len;
      }
      planned += sum;
      List<Doc> docs = new ArrayList<>(lengths.size());
      for (int i = 0; i < lengths.size(); i++) {
        TextGen.EdgeCase edge = null;
        int roll = rng.nextInt(1000);
        int pick = rng.nextInt(TextGen.EdgeCase.values().length);
        // Every domain gets each edge case once (its first documents), then ~1.5% at random.
        if (i < TextGen.EdgeCase.values().length) {
          edge = TextGen.EdgeCase.values()[i];
        } else if (roll < 15) {
          edge = TextGen.EdgeCase.values()[pick];
        }
        docs.add(new Doc(d, rng.nextLong(), lengths.get(i) * CHARS_PER_TOKEN, edge));
      }
      byDomain.put(d, docs);
    }
    List<List<Doc>> perFile = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      perFile.add(new ArrayList<>());
    }
    int next = 0;
    for (Domain d : Domain.values()) {
      List<Doc> docs = byDomain.get(d);
      shuffle(docs, rng);
      // Round-robin, continuing across domains, so every file gets every domain and sizes even out.
      for (Doc doc : docs) {
        perFile.get(next).add(doc);
        next = (next + 1) % files;
      }
    }
    for (List<Doc> docs : perFile) {
      shuffle(docs, rng);
    }
    return perFile;
  }

  private static int logNormal(SplittableRandom rng, Domain d) {
    // Box-Muller from nextDouble, whose algorithm is fixed (unlike nextGaussian's across JDKs).
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    double z = Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    double len = Math.exp(Math.log(d.medianTokens) + d.sigma * z);
    return (int) Math.round(Math.min(Math.max(len, d.minTokens), d.maxTokens));
  }

  private static <T> void shuffle(List<T> list, SplittableRandom rng) {
    for (int i = list.size() - 1; i > 0; i--) {
      Collections.swap(list, i, rng.nextInt(i + 1));
    }
  }

  // ------------------------------------------------------------------------------ writing

  private record FileResult(FileStats stats, Map<Domain, long[]> perDomain) {}

  private static FileResult writeFile(Path file, List<Doc> docs) throws IOException {
    Map<Domain, long[]> perDomain = new EnumMap<>(Domain.class);
    for (Domain d : Domain.values()) {
      perDomain.put(d, new long[3]);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    long jsonBytes;
    try (OutputStream raw = Files.newOutputStream(tmp);
        ZstdOutputStream zstd = new ZstdOutputStream(raw, 3);
        CountingJsonLines out = new CountingJsonLines(new BufferedOutputStream(zstd, 1 << 16))) {
      for (Doc doc : docs) {
        String text = TextGen.generate(doc.domain(), doc.seed(), doc.targetChars(), doc.edge());
        out.writeDoc(text, doc.domain().setName());
        long[] a = perDomain.get(doc.domain());
        a[0]++;
        a[1] += text.length();
        a[2] = Math.max(a[2], text.length());
      }
      out.flush();
      jsonBytes = out.count;
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    return new FileResult(new FileStats(file, docs.size(), jsonBytes, Files.size(file)), perDomain);
  }

  /**
   * Writes JSON lines as Python's {@code json.dumps(obj)} does by default: {@code ", "} and {@code
   * ": "} separators, {@code ensure_ascii} (everything outside printable ASCII as a lower-case
   * {@code \\uXXXX}, UTF-16 surrogates escaped separately).
   */
  private static final class CountingJsonLines implements AutoCloseable {
    private static final byte[] HEX =
        "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final OutputStream out;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    long count;

    CountingJsonLines(OutputStream out) {
      this.out = out;
    }

    void writeDoc(String text, String setName) throws IOException {
      ascii("{\"text\": ");
      string(text);
      ascii(", \"meta\": {\"redpajama_set_name\": ");
      string(setName);
      ascii("}}\n");
    }

    private void ascii(String s) throws IOException {
      for (int i = 0; i < s.length(); i++) {
        put(s.charAt(i));
      }
    }

    private void string(String s) throws IOException {
      put('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> {
            put('\\');
            put('"');
          }
          case '\\' -> {
            put('\\');
            put('\\');
          }
          case '\n' -> {
            put('\\');
            put('n');
          }
          case '\r' -> {
            put('\\');
            put('r');
          }
          case '\t' -> {
            put('\\');
            put('t');
          }
          case '\b' -> {
            put('\\');
            put('b');
          }
          case '\f' -> {
            put('\\');
            put('f');
          }
          default -> {
            if (c >= 0x20 && c < 0x7f) {
              put(c);
            } else {
              put('\\');
              put('u');
              put(HEX[(c >> 12) & 0xf]);
              put(HEX[(c >> 8) & 0xf]);
              put(HEX[(c >> 4) & 0xf]);
              put(HEX[c & 0xf]);
            }
          }
        }
      }
      put('"');
    }

    private void put(int b) throws IOException {
      if (pos == buf.length) {
        drain();
      }
      buf[pos++] = (byte) b;
    }

    private void drain() throws IOException {
      out.write(buf, 0, pos);
      count += pos;
      pos = 0;
    }

    void flush() throws IOException {
      drain();
      out.flush();
    }

    @Override
    public void close() throws IOException {
      drain();
      out.close();
    }
  }

  private static FileResult get(Future<FileResult> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
