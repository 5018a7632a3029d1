package dev.longmix.jobs.cli;

import dev.longmix.common.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The settings of one command invocation: flags over a {@code --config} file over defaults, with
 * typed accessors whose failures name the key, the value and the rule.
 */
public final class Settings {
  private final CommandSpec spec;
  private final Map<String, Option> options;
  private final Map<String, String> given = new LinkedHashMap<>();
  // Every value of a repeatable option, in order; given holds the last one too, so isSet works.
  private final Map<String, List<String>> repeated = new LinkedHashMap<>();
  private final Map<String, String> sparkConf = new LinkedHashMap<>();

  private Settings(CommandSpec spec) {
    this.spec = spec;
    this.options = spec.byKey();
  }

  /** Parses command-line arguments (after the command name). */
  public static Settings parse(CommandSpec spec, String... args) {
    Settings s = new Settings(spec);
    Map<String, String> flags = new LinkedHashMap<>();
    Map<String, List<String>> flagLists = new LinkedHashMap<>();
    List<String> confs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || a.length() == 2) {
        throw new ConfigException(
            "", a, "unexpected argument; options look like --key value (see --help)");
      }
      String key = a.substring(2);
      String value = null;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      }
      Option o = s.options.get(key);
      if (o == null) {
        // Name the value the user gave it too (the word after it, unless that is another option).
        if (value == null && i + 1 < args.length && !args[i + 1].startsWith("--")) {
          value = args[i + 1];
        }
        throw new ConfigException(key, value, s.unknownRule());
      }
      if (o.isFlag()) {
        if (value != null && !value.equals("true") && !value.equals("false")) {
          throw new ConfigException(key, value, "a flag takes no value, or true/false");
        }
        value = value == null ? "true" : value;
      } else if (value == null) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new ConfigException(key, null, "needs a value: --" + key + " " + o.metavar());
        }
        value = args[++i];
      }
      if (key.equals("conf")) {
        confs.add(value);
      } else {
        flags.put(key, value);
        if (o.repeatable()) {
          flagLists.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
      }
    }
    if (flags.containsKey("config") && !flags.containsKey("help")) {
      s.readFile(flags.get("config"));
    }
    s.given.putAll(flags);
    // A repeatable option given on the command line replaces the config file's values: flags win.
    s.repeated.putAll(flagLists);
    for (String c : confs) {
      s.addConf(c);
    }
    return s;
  }

  /**
   * Settings of {@code spec} given as values by key (no flags, no file), for a command that runs
   * another one directly; {@code sparkConf} becomes its Spark settings. Keys must be the spec's.
   */
  public static Settings of(
      CommandSpec spec, Map<String, String> values, Map<String, String> sparkConf) {
    Settings s = new Settings(spec);
    values.forEach(
        (k, v) -> {
          if (!s.options.containsKey(k)) {
            throw new IllegalArgumentException(spec.name() + " has no option " + k);
          }
          s.given.put(k, v);
          if (s.options.get(k).repeatable()) {
            s.repeated.put(k, List.of(v));
          }
        });
    s.sparkConf.putAll(sparkConf);
    return s;
  }

  private void readFile(String file) {
    // Properties keeps one value per key; a repeatable option's lines are all kept, in order, by
    // watching what load() puts.
    Map<String, List<String>> lines = new LinkedHashMap<>();
    Properties p =
        new Properties() {
          private static final long serialVersionUID = 1L;

          @Override
          public synchronized Object put(Object key, Object value) {
            Option o = options.get(String.valueOf(key));
            if (o != null && o.repeatable()) {
              lines
                  .computeIfAbsent(String.valueOf(key), k -> new ArrayList<>())
                  .add(String.valueOf(value).strip());
            }
            return super.put(key, value);
          }
        };
    try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("config", file, "cannot read the file: " + e.getMessage());
    }
    for (String key : new TreeMap<>(Map.copyOf(toMap(p))).keySet()) {
      String value = p.getProperty(key).strip();
      if (key.startsWith("spark.")) {
        sparkConf.put(key, value);
      } else if (key.equals("config") || key.equals("help")) {
        throw new ConfigException(key, value, "not allowed inside a config file");
      } else if (!options.containsKey(key)) {
        throw new ConfigException(key, value, unknownRule() + " (in " + file + ")");
      } else {
        given.put(key, value);
      }
    }
    repeated.putAll(lines);
  }

  private static Map<String, String> toMap(Properties p) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : p.stringPropertyNames()) {
      m.put(k, p.getProperty(k));
    }
    return m;
  }

  private void addConf(String kv) {
    int eq = kv.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("conf", kv, "must be KEY=VALUE");
    }
    sparkConf.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
  }

  private String unknownRule() {
    return "not an option of 'longmix "
        + spec.name()
        + "' (see longmix "
        + spec.name()
        + " --help)";
  }

  public CommandSpec spec() {
    return spec;
  }

  public boolean helpRequested() {
    return flag("help");
  }

  /** Whether the user set this key explicitly (flag or file). */
  public boolean isSet(String key) {
    return given.containsKey(key);
  }

  public Optional<String> optional(String key) {
    Option o = option(key);
    String v = given.getOrDefault(key, o.defaultValue());
    return Optional.ofNullable(v);
  }

  public String string(String key) {
    return optional(key).orElseThrow(() -> new ConfigException(key, null, "is required"));
  }

  /**
   * Every value of a repeatable option in the order given (flags replace a config file's), or its
   * one value or default; empty when unset.
   */
  public List<String> values(String key) {
    Option o = option(key);
    List<String> v = repeated.get(key);
    if (o.repeatable() && v != null) {
      return List.copyOf(v);
    }
    return optional(key).map(List::of).orElse(List.of());
  }

  public boolean flag(String key) {
    String v = optional(key).orElse("false");
    if (!v.equals("true") && !v.equals("false")) {
      throw new ConfigException(key, v, "must be true or false");
    }
    return v.equals("true");
  }

  public long positiveLong(String key) {
    String v = string(key);
    try {
      long x = Long.parseLong(v.replace("_", ""));
      if (x > 0) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(key, v, "must be a positive whole number");
  }

  public int positiveInt(String key) {
    long x = positiveLong(key);
    if (x > Integer.MAX_VALUE) {
      throw new ConfigException(key, string(key), "must be at most " + Integer.MAX_VALUE);
    }
    return (int) x;
  }

  public long nonNegativeLong(String key) {
    String v = string(key);
    try {
      long x = Long.parseLong(v);
      if (x >= 0) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(key, v, "must be a whole number >= 0");
  }

  public double fraction(String key) {
    String v = string(key);
    try {
      double x = Double.parseDouble(v);
      if (x >= 0 && x <= 1) {
        return x;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(key, v, "must be a number between 0 and 1");
  }

  /** One of the allowed spellings, exactly. */
  public String choice(String key, List<String> allowed) {
    String v = string(key);
    if (!allowed.contains(v)) {
      throw new ConfigException(key, v, "must be one of " + String.join(", ", allowed));
    }
    return v;
  }

  /** A comma-separated list, blanks removed; empty when unset. */
  public List<String> list(String key) {
    return optional(key)
        .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList())
        .orElse(List.of());
  }

  public Map<String, String> sparkConf() {
    return Map.copyOf(sparkConf);
  }

  /**
   * Every setting with its effective value, for logs and manifests; values of keys that look like
   * secrets are masked so credentials never reach a manifest.
   */
  public Map<String, String> resolved() {
    Map<String, String> m = new TreeMap<>();
    for (Option o : spec.options()) {
      if (o.key().equals("help") || o.key().equals("conf")) {
        continue;
      }
      List<String> v = values(o.key());
      if (!v.isEmpty()) {
        m.put(o.key(), String.join(" ", v));
      }
    }
    sparkConf.forEach((k, v) -> m.put("conf:" + k, isSecret(k) ? "****" : v));
    return m;
  }

  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("secret")
        || k.contains("password")
        || k.contains("token") && !k.contains("tokenizer")
        || k.contains("access.key")
        || k.contains("credential");
  }

  private Option option(String key) {
    Option o = options.get(key);
    if (o == null) {
      throw new IllegalStateException("command " + spec.name() + " has no option " + key);
    }
    return o;
  }
}
