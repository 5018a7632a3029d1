package dev.longmix.jobs.tokenize;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.corpus.DomainNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code --input} of tokenize and run: a named source {@code NAME=PATH}, every record under
 * PATH of domain NAME, or the one unnamed corpus PATH whose records carry their domain in {@code
 * --domain-field}.
 *
 * <p>A value is named when the text before its first {@code =} holds no {@code /} or {@code :}, so
 * {@code s3a://bucket/lang=en/} and {@code data/lang=en} stay paths; a relative path whose first
 * part holds {@code =} is written {@code ./lang=en/}.
 *
 * @param name the source's name, the domain of all its records; null for the unnamed corpus
 * @param path a folder, file or glob on any Hadoop filesystem
 * @param typed the value as given, for messages
 */
public record CorpusInput(String name, String path, String typed) {

  public static final String KEY = "input";

  /** Whether the records' domain is this source's name rather than their domain field. */
  public boolean named() {
    return name != null;
  }

  /**
   * The inputs of {@code values} as given: one unnamed corpus, or named sources sorted by name.
   *
   * @throws ConfigException for a malformed {@code NAME=PATH}, a name that is not a valid domain
   *     name, a name given twice, named and unnamed inputs mixed, or several unnamed ones
   */
  public static List<CorpusInput> parse(List<String> values) {
    if (values.isEmpty()) {
      throw new ConfigException(KEY, null, "is required");
    }
    List<CorpusInput> named = new ArrayList<>();
    List<CorpusInput> unnamed = new ArrayList<>();
    Map<String, CorpusInput> byName = new LinkedHashMap<>();
    for (String v : values) {
      CorpusInput in = of(v);
      if (!in.named()) {
        unnamed.add(in);
        continue;
      }
      CorpusInput before = byName.put(in.name(), in);
      if (before != null) {
        throw new ConfigException(
            KEY,
            v,
            "names source "
                + in.name()
                + " twice (also "
                + before.typed()
                + "); give each name once, with a folder or glob that holds all its files");
      }
      named.add(in);
    }
    if (!named.isEmpty() && !unnamed.isEmpty()) {
      throw new ConfigException(
          KEY,
          unnamed.get(0).typed(),
          "is unnamed while other inputs are named (NAME=PATH); name every source, or give one"
              + " corpus PATH whose records carry --domain-field");
    }
    if (unnamed.size() > 1) {
      throw new ConfigException(
          KEY,
          unnamed.get(1).typed(),
          "is a second unnamed input; give one corpus PATH (a folder or glob takes many files),"
              + " or name each source NAME=PATH");
    }
    if (!unnamed.isEmpty()) {
      return List.copyOf(unnamed);
    }
    named.sort(Comparator.comparing(CorpusInput::name));
    return List.copyOf(named);
  }

  /** One value: {@code NAME=PATH} or a path. */
  static CorpusInput of(String v) {
    int eq = v.indexOf('=');
    String before = eq < 0 ? null : v.substring(0, eq);
    if (before == null || before.indexOf('/') >= 0 || before.indexOf(':') >= 0) {
      if (v.isBlank()) {
        throw new ConfigException(KEY, v, "is empty; give a corpus PATH or NAME=PATH");
      }
      return new CorpusInput(null, v, v);
    }
    String name = before.strip();
    String path = v.substring(eq + 1).strip();
    if (name.isEmpty()) {
      throw new ConfigException(
          KEY, v, "NAME=PATH with an empty name; " + DomainNames.RULE + ", e.g. books=PATH");
    }
    if (!DomainNames.isValid(name)) {
      throw new ConfigException(
          KEY,
          v,
          "source name '"
              + name
              + "' is not a valid domain name: "
              + DomainNames.RULE
              + " (a path whose first part holds '=' is written ./"
              + v
              + ")");
    }
    if (path.isEmpty()) {
      throw new ConfigException(KEY, v, "NAME=PATH with an empty path for source " + name);
    }
    return new CorpusInput(name, path, v);
  }
}
