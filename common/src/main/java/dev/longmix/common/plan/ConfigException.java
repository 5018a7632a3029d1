package dev.longmix.common.plan;

/**
 * A configuration value broke a rule; the message names the key, the value and the rule.
 *
 * <p>Every user-facing configuration error in the recipe is built by {@link #invalid} so that they
 * all read the same: {@code budget-tokens = -5: must be a positive integer}.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String value;
  private final String rule;

  private ConfigException(String key, String value, String rule) {
    super(key + " = " + value + ": " + rule);
    this.key = key;
    this.value = value;
    this.rule = rule;
  }

  /** The one place configuration errors are built. */
  public static ConfigException invalid(String key, Object value, String rule) {
    return new ConfigException(key, String.valueOf(value), rule);
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
