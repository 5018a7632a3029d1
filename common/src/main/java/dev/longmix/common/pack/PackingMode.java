package dev.longmix.common.pack;

import dev.longmix.common.config.ConfigException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How selected items become rows. */
public enum PackingMode {
  /**
   * The paper's: items concatenated in packing order and cut every {@code seq-len} tokens, so an
   * item that crosses a row boundary continues in the next row; only the last row can be partial.
   */
  CONCAT("concat"),
  /**
   * Best-fit decreasing: an item of at most {@code seq-len} tokens is never split, a longer one is
   * cut into {@code seq-len} pieces and its remainder packed like any item; a row's unused tail is
   * padding.
   */
  BEST_FIT("best-fit");

  public static final String KEY = "packing";

  private final String cliName;

  PackingMode(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** Parses the command-line spelling. */
  public static PackingMode fromCli(String name) {
    for (PackingMode m : values()) {
      if (m.cliName.equals(name)) {
        return m;
      }
    }
    throw ConfigException.invalid(
        KEY,
        name,
        "must be one of "
            + Arrays.stream(values()).map(PackingMode::cliName).collect(Collectors.joining(", ")));
  }
}
