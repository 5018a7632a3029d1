package dev.longmix.jobs.export;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.export.MegatronIndex;
import dev.longmix.jobs.cli.CommandSpec;
import dev.longmix.jobs.cli.Option;
import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.manifest.PackManifest;
import dev.longmix.jobs.spark.Fingerprint;
import dev.longmix.jobs.spark.HadoopConf;
import dev.longmix.jobs.spark.ParquetFooters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The validated settings of {@code longmix export}, resolved before Spark starts.
 *
 * @param input the packed output to export
 * @param output where the exported files go
 * @param format the target format ({@code megatron})
 * @param dtype the token id type, or null to choose it from the ids ({@code auto})
 * @param partitions file pairs to write; each holds a contiguous range of rows
 * @param eod the id every sequence ends with, and how it was chosen
 * @param packed the packed output's manifest
 * @param fingerprint f(input's fingerprint and content digest, format, dtype, partitions, EOD id)
 * @param resolved the effective settings, for the manifest
 */
public record ExportConfig(
    String input,
    String output,
    String format,
    MegatronIndex.Dtype dtype,
    int partitions,
    Eod eod,
    Manifests.Manifest<PackManifest> packed,
    String fingerprint,
    Map<String, String> resolved) {

  public static final String FORMAT = "format";
  public static final String DTYPE = "dtype";
  public static final String DTYPE_DEFAULT = "auto";
  public static final String PARTITIONS = "partitions";
  public static final String APPEND_EOD = "append-eod";
  public static final String APPEND_EOD_DEFAULT = "eos";

  /**
   * The EOD id every exported sequence ends with (empty: none), and how it was chosen, for the
   * manifest.
   */
  public record Eod(OptionalInt id, String rule) {}

  public static final List<Option> OPTIONS =
      List.of(
          Option.required("input", "DIR", "a complete packed output (of longmix pack or run)"),
          Option.required("output", "DIR", "where the exported files go"),
          Option.required(FORMAT, "NAME", "megatron: Megatron-LM's indexed dataset (.bin + .idx)"),
          Option.optional(
              DTYPE,
              "auto|uint16|int32",
              DTYPE_DEFAULT,
              "token id type; auto: uint16 when the largest id in the input's files (padding"
                  + " included) or the EOD id, plus one, is below 65,500 (Megatron's rule for a"
                  + " vocabulary), else int32"),
          Option.optional(
              PARTITIONS,
              "N",
              null,
              "file pairs to write, each a contiguous range of rows, at most one per row"
                  + " [default: as many as the input has data files]"),
          Option.optional(
              APPEND_EOD,
              "eos|ID|none",
              APPEND_EOD_DEFAULT,
              "end every sequence with this id, Megatron's EOD (appended unless the sequence"
                  + " already ends with it), so that --reset-position-ids, --reset-attention-mask"
                  + " and --eod-mask-loss see where each text stops; eos: the input's tokenizer's"
                  + " EOS (tokenize's --eos-token), found through the input's manifests, else"
                  + " exit 2 asking for the id; none: no EOD"));

  public static CommandSpec spec() {
    return new CommandSpec(
        "export",
        "Write a packed output in another trainer's format (Megatron-LM's indexed dataset).",
        """
        Reads the packed rows in row order and writes OUTPUT/part-NNNNN.bin + .idx per contiguous
        range of rows (Megatron-LM's MMIDIDX layout, docs/output-format.md): one sequence per
        span, the padding left out; a document of the index is a run of spans that continue one
        item (a span starts a new one unless it carries on, from where it stopped, the item of the
        span before it). Every row is checked against the packed format (its spans tile it) and
        the rows read against the input's content digest. Give Megatron the prefixes without
        extension. OUTPUT/_manifest.json, written last, lists the pairs with their counts.
        Megatron's GPT dataset shuffles the sequences it reads and resets positions and attention
        only at its EOD token, so by default every sequence ends with the tokenizer's EOS as EOD
        (--append-eod): a piece or part whose text goes on in another sequence ends with one too,
        since the shuffle puts unrelated text after it. See docs/output-format.md.
        """,
        OPTIONS);
  }

  public static ExportConfig from(Settings s, Configuration hadoop) {
    String input = s.string("input");
    String output = s.string("output");
    String format = s.choice(FORMAT, List.of("megatron"));
    String dt = s.choice(DTYPE, List.of("auto", "uint16", "int32"));
    MegatronIndex.Dtype dtype =
        dt.equals("auto") ? null : MegatronIndex.Dtype.valueOf(dt.toUpperCase(Locale.ROOT));
    refuseOverlap(hadoop, input, output);
    Manifests.Manifest<PackManifest> packed =
        Manifests.complete(hadoop, "input", input, PackManifest.STAGE, PackManifest.class);
    PackManifest.Counts counts = packed.body().counts();
    if (counts == null || counts.contentDigest() == null || counts.seqLen() <= 0) {
      throw new ConfigException(
          "input", input, "has a pack manifest without counts (seq_len, rows, content_digest)");
    }
    int files = ParquetFooters.dataFiles(new HadoopConf(hadoop), input).size();
    if (files == 0 && counts.rows() > 0) {
      throw new ConfigException(
          "input", input, "holds no data files, but its manifest says " + counts.rows() + " rows");
    }
    int partitions = s.isSet(PARTITIONS) ? s.positiveInt(PARTITIONS) : Math.max(1, files);
    Eod eod = eod(s, hadoop, packed.body(), dtype);
    Fingerprint fp = new Fingerprint("export");
    fp.add("input", packed.header().fingerprint());
    fp.add("content", counts.contentDigest());
    fp.add(FORMAT, format);
    fp.add(DTYPE, dt);
    fp.add(PARTITIONS, Integer.toString(partitions));
    fp.add(APPEND_EOD, eod.id().isPresent() ? Integer.toString(eod.id().getAsInt()) : "none");
    return new ExportConfig(
        input,
        output,
        format,
        dtype,
        partitions,
        eod,
        packed,
        fp.value(),
        new TreeMap<>(s.resolved()));
  }

  /**
   * {@code --append-eod}: none, an id, or the EOS id of the tokenizer the input's manifests lead
   * to. An id must fit a forced {@code --dtype}, and be in the tokenizer's vocabulary when the
   * tokenizer can be found (else the manifest says the vocabulary was not checked).
   */
  static Eod eod(Settings s, Configuration hadoop, PackManifest packed, MegatronIndex.Dtype dtype) {
    String v = s.string(APPEND_EOD);
    if (v.equals("none")) {
      return new Eod(OptionalInt.empty(), "none");
    }
    boolean eos = v.equals("eos");
    if (!eos) {
      checkFits(v, tokenId(v), dtype); // before looking for the tokenizer: a file read or two
    }
    InputTokenizer.Lookup found = InputTokenizer.find(hadoop, packed);
    InputTokenizer t = found.tokenizer();
    if (eos) {
      if (t == null) {
        throw new ConfigException(
            APPEND_EOD,
            v,
            "needs the EOS id of the input's tokenizer, but "
                + found.missing()
                + "; give the id (--append-eod ID) or none");
      }
      if (t.eosId().isEmpty()) {
        throw new ConfigException(
            APPEND_EOD,
            v,
            "the input's tokenizer "
                + t.origin()
                + " has no token '"
                + t.eosToken()
                + "' (tokenize's --eos-token); give the EOD id (--append-eod ID) or none");
      }
      int id = t.eosId().getAsInt();
      checkFits(v, id, dtype);
      return new Eod(OptionalInt.of(id), "eos: '" + t.eosToken() + "' in " + t.origin());
    }
    int id = tokenId(v);
    if (t == null) {
      return new Eod(
          OptionalInt.of(id),
          "--append-eod " + id + "; vocabulary not checked: " + found.missing());
    }
    if (id >= t.vocabulary()) {
      throw new ConfigException(
          APPEND_EOD,
          v,
          "is not an id of the input's tokenizer "
              + t.origin()
              + ", whose ids are 0.."
              + (t.vocabulary() - 1));
    }
    return new Eod(
        OptionalInt.of(id),
        "--append-eod "
            + id
            + t.eosId().stream()
                .mapToObj(e -> "; the tokenizer's EOS '" + t.eosToken() + "' is " + e)
                .findFirst()
                .orElse(""));
  }

  /** A forced {@code --dtype} must hold the EOD id; auto chooses a type that does. */
  private static void checkFits(String value, int id, MegatronIndex.Dtype dtype) {
    if (dtype != null && !dtype.holds(id)) {
      throw new ConfigException(
          APPEND_EOD,
          value,
          "id "
              + id
              + " does not fit --dtype "
              + dtype.name().toLowerCase(Locale.ROOT)
              + "; use --dtype int32 or auto");
    }
  }

  private static int tokenId(String v) {
    try {
      long x = Long.parseLong(v);
      if (x >= 0 && x <= Integer.MAX_VALUE) {
        return (int) x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(
        APPEND_EOD, v, "must be eos, none or a token id (a whole number from 0 to 2147483647)");
  }

  /**
   * The output may not be the input or lie inside it, nor the other way round: making the output
   * ready deletes what it holds.
   */
  private static void refuseOverlap(Configuration hadoop, String input, String output) {
    String in = qualified(hadoop, input);
    String out = qualified(hadoop, output);
    if (in.equals(out) || out.startsWith(in + "/") || in.startsWith(out + "/")) {
      throw new ConfigException(
          "output", output, "overlaps --input " + input + "; export to a directory of its own");
    }
  }

  private static String qualified(Configuration hadoop, String dir) {
    try {
      Path p = new Path(dir);
      String q = p.getFileSystem(hadoop).makeQualified(p).toString();
      return q.endsWith("/") ? q.substring(0, q.length() - 1) : q;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + dir, e);
    }
  }
}
