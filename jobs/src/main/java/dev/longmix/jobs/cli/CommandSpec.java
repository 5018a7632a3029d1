package dev.longmix.jobs.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A command's name, purpose and options: the single source for parsing, validation and help. */
public record CommandSpec(String name, String summary, String description, List<Option> options) {

  /** Options every command takes. */
  public static final List<Option> COMMON =
      List.of(
          Option.optional(
              "master",
              "URL",
              "local[*]",
              "Spark master; ignored when spark-submit already set one"),
          Option.optional(
                  "conf",
                  "K=V",
                  null,
                  "extra Spark/Hadoop setting (e.g. spark.hadoop.fs.s3a.endpoint=...)")
              .asRepeatable(),
          Option.optional("config", "FILE", null, "read settings from a key = value file first"),
          Option.flag("force", "redo the work even when a complete output for this config exists"),
          Option.flag("overwrite", "replace an output that was made with a different config"),
          Option.optional(
              "progress-interval",
              "SECONDS",
              Long.toString(dev.longmix.jobs.spark.Progress.INTERVAL_SECONDS_DEFAULT),
              "how often progress is printed (0: never)"),
          Option.flag("help", "print this help and exit"));

  public CommandSpec {
    List<Option> all = new ArrayList<>(options);
    for (Option o : COMMON) {
      if (all.stream().noneMatch(x -> x.key().equals(o.key()))) {
        all.add(o);
      }
    }
    options = List.copyOf(all);
  }

  public Map<String, Option> byKey() {
    Map<String, Option> m = new LinkedHashMap<>();
    for (Option o : options) {
      m.put(o.key(), o);
    }
    return m;
  }

  /** The {@code --help} text. */
  public String help() {
    StringBuilder sb = new StringBuilder();
    sb.append("usage: longmix ").append(name).append(" [options]\n\n");
    sb.append(summary).append('\n');
    if (!description.isEmpty()) {
      sb.append('\n').append(description.strip()).append('\n');
    }
    sb.append("\noptions:\n");
    int width = 0;
    for (Option o : options) {
      width = Math.max(width, left(o).length());
    }
    for (Option o : options) {
      String l = left(o);
      sb.append("  ").append(l).append(" ".repeat(width - l.length() + 2)).append(o.help());
      if (o.repeatable()) {
        sb.append(" (repeatable)");
      }
      if (o.required()) {
        sb.append(" (required)");
      } else if (!o.isFlag() && o.defaultValue() != null) {
        sb.append(" [default: ").append(o.defaultValue()).append(']');
      }
      sb.append('\n');
    }
    sb.append("\nExit codes: 0 done (or already up to date), 1 the job failed, 2 invalid settings")
        .append(" (nothing ran),\n3 too many rejected input records, 4 the plan cannot be met.\n");
    return sb.toString();
  }

  private static String left(Option o) {
    return "--" + o.key() + (o.isFlag() ? "" : " " + o.metavar());
  }
}
