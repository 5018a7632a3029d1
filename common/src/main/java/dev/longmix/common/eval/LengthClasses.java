package dev.longmix.common.eval;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.histogram.LengthBins;
import dev.longmix.common.histogram.LengthHistogram;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How validation documents are grouped by length: Table 5's two classes (0–4K and 4K–128K) or the
 * nine Fig. 2 bins. A document's class is that of its length before any cut, so a 500K-token book
 * cut to the stage's maximum stays in 4K–128K (Table 5) or {@code >128K} (Fig. 2).
 */
public enum LengthClasses {
  /** Table 5: {@code 0-4K} (at most 4,096 tokens) and {@code 4K-128K} (more). */
  TABLE5,
  /** Fig. 2: {@code 0-1K}, {@code 1K-2K}, ..., {@code 64K-128K}, {@code >128K}. */
  FIG2;

  public static final String KEY = "length-classes";
  public static final LengthClasses DEFAULT = TABLE5;

  /** Table 5's boundary: the recipe's "long means more than 4,096 tokens". */
  static final long TABLE5_EDGE = LengthHistogram.LONG_THRESHOLD_DEFAULT;

  private static final LengthBins BINS = LengthBins.fig2();

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The spelling on the command line, or a config error naming the choices. */
  public static LengthClasses parse(String value) {
    for (LengthClasses c : values()) {
      if (c.cliName().equals(value)) {
        return c;
      }
    }
    throw ConfigException.invalid(
        KEY,
        value,
        "must be one of "
            + String.join(", ", Arrays.stream(values()).map(LengthClasses::cliName).toList()));
  }

  /** The class of a document of {@code nTokens} tokens. */
  public String label(long nTokens) {
    if (this == TABLE5) {
      return nTokens <= TABLE5_EDGE ? "0-4K" : "4K-128K";
    }
    return BINS.label(BINS.binOf(nTokens));
  }

  /** Every class, shortest first. */
  public List<String> labels() {
    return this == TABLE5 ? List.of("0-4K", "4K-128K") : BINS.labels();
  }
}
