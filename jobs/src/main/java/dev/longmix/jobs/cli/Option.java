package dev.longmix.jobs.cli;

/**
 * One documented setting of a command, usable as {@code --key value} or as {@code key = value} in a
 * {@code --config} file.
 *
 * @param key kebab-case name without dashes
 * @param metavar what the value looks like in help, or null for a boolean flag
 * @param defaultValue the value when not given, or null when there is none
 * @param required whether the command cannot run without it
 * @param help one line for {@code --help}
 * @param repeatable whether it may be given several times, each value kept in order (on the command
 *     line, and as the same key on several lines of a config file); otherwise the last one wins
 */
public record Option(
    String key,
    String metavar,
    String defaultValue,
    boolean required,
    String help,
    boolean repeatable) {

  public static Option required(String key, String metavar, String help) {
    return new Option(key, metavar, null, true, help, false);
  }

  public static Option optional(String key, String metavar, String defaultValue, String help) {
    return new Option(key, metavar, defaultValue, false, help, false);
  }

  public static Option flag(String key, String help) {
    return new Option(key, null, "false", false, help, false);
  }

  /** This option, taking several values. */
  public Option asRepeatable() {
    if (isFlag()) {
      throw new IllegalArgumentException("a flag cannot repeat: " + key);
    }
    return new Option(key, metavar, defaultValue, required, help, true);
  }

  public boolean isFlag() {
    return metavar == null;
  }
}
