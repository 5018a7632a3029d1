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
 */
public record Option(
    String key, String metavar, String defaultValue, boolean required, String help) {

  public static Option required(String key, String metavar, String help) {
    return new Option(key, metavar, null, true, help);
  }

  public static Option optional(String key, String metavar, String defaultValue, String help) {
    return new Option(key, metavar, defaultValue, false, help);
  }

  public static Option flag(String key, String help) {
    return new Option(key, null, "false", false, help);
  }

  public boolean isFlag() {
    return metavar == null;
  }
}
