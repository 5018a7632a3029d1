package dev.longmix.common.config;

/**
 * A setting the user gave (or left out) that cannot work, reported before any cluster time is
 * spent. The message always names the key, the value and the rule it broke.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String value;
  private final String rule;

  public ConfigException(String key, String value, String rule) {
    super(
        (key.startsWith("-") || key.isEmpty() ? key : "--" + key)
            + (value == null ? " (not set)" : " = '" + value + "'")
            + ": "
            + rule);
    this.key = key;
    this.value = value;
    this.rule = rule;
  }

  /** The one place configuration errors are built. */
  public static ConfigException invalid(String key, Object value, String rule) {
    return new ConfigException(key, value == null ? null : String.valueOf(value), rule);
  }

  public String key() {
    return key;
  }

  public String value() {
    return value;
  }

  public String rule() {
    return rule;
  }
}
