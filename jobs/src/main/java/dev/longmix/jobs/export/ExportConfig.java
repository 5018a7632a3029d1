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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The validated settings of {@code longmix export}, resolved before Spark starts.
 *
 * @param input the packed output to export
 * @param output where the exported files go
 * @param format the target format ({@code megatron})
 * @param dtype the token id type, or null to choose it from the ids ({@code auto})
 * @param partitions file pairs to write; each holds a contiguous range of rows
 * @param packed the packed output's manifest
 * @param fingerprint f(input, format, dtype, partitions)
 * @param resolved the effective settings, for the manifest
 */
public record ExportConfig(
    String input,
    String output,
    String format,
    MegatronIndex.Dtype dtype,
    int partitions,
    Manifests.Manifest<PackManifest> packed,
    String fingerprint,
    Map<String, String> resolved) {

  public static final String FORMAT = "format";
  public static final String DTYPE = "dtype";
  public static final String DTYPE_DEFAULT = "auto";
  public static final String PARTITIONS = "partitions";

  public static final List<Option> OPTIONS =
      List.of(
          Option.required("input", "DIR", "a packed output (of longmix pack or run)"),
          Option.required("output", "DIR", "where the exported files go"),
          Option.required(FORMAT, "NAME", "megatron: Megatron-LM's indexed dataset (.bin + .idx)"),
          Option.optional(
              DTYPE,
              "auto|uint16|int32",
              DTYPE_DEFAULT,
              "token id type; auto: uint16 when every id is below 65,500, as Megatron picks"),
          Option.optional(
              PARTITIONS,
              "N",
              null,
              "file pairs to write, each a contiguous range of rows [default: as many as the"
                  + " packed output has files]"));

  public static CommandSpec spec() {
    return new CommandSpec(
        "export",
        "Write a packed output in another trainer's format (Megatron-LM's indexed dataset).",
        """
        Reads the packed rows in row order and writes one .bin/.idx pair per contiguous range of
        rows, one sequence per span (an item's part in a row; padding left out), a new document
        wherever a span does not continue the item of the sequence before it, so Megatron's
        reset_position_ids, reset_attention_mask and sample builder see the documents. Writes
        OUTPUT/_manifest.json last, listing the files.
        """,
        OPTIONS);
  }

  public static ExportConfig from(Settings s, Configuration hadoop) {
    String input = s.string("input");
    String format = s.choice(FORMAT, List.of("megatron"));
    String dt = s.choice(DTYPE, List.of("auto", "uint16", "int32"));
    MegatronIndex.Dtype dtype =
        dt.equals("auto")
            ? null
            : MegatronIndex.Dtype.valueOf(dt.toUpperCase(java.util.Locale.ROOT));
    Manifests.Manifest<PackManifest> packed =
        Manifests.complete(hadoop, "input", input, PackManifest.STAGE, PackManifest.class);
    int partitions;
    if (s.isSet(PARTITIONS)) {
      partitions = s.positiveInt(PARTITIONS);
    } else {
      partitions = Math.max(1, ParquetFooters.dataFiles(new HadoopConf(hadoop), input).size());
    }
    if (packed.body().counts() == null) {
      throw new ConfigException("input", input, "has a pack manifest without counts");
    }
    Fingerprint fp = new Fingerprint("export");
    fp.add("input", packed.header().fingerprint());
    fp.add(FORMAT, format);
    fp.add(DTYPE, dt);
    fp.add(PARTITIONS, Integer.toString(partitions));
    return new ExportConfig(
        input,
        s.string("output"),
        format,
        dtype,
        partitions,
        packed,
        fp.value(),
        new TreeMap<>(s.resolved()));
  }
}
