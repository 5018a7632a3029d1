package dev.longmix.common.eval;

import dev.longmix.common.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Needle-in-a-Haystack grid: context lengths (tokens) × needle depths (percent of the context).
 * The default is the authors' (Fu et al. 2024, after gkamradt's script): 40 lengths {@code
 * round(linspace(1000, 128000, 40))} × 10 depths {@code round(linspace(0, 100, 10))}.
 *
 * @param contextLengths distinct positive lengths, as given
 * @param depthsPercent distinct depths in [0, 100], as given
 */
public record NeedleGrid(List<Integer> contextLengths, List<Double> depthsPercent) {
  public static final String LENGTHS = "context-lengths";
  public static final String DEPTHS = "depths";

  /** The value of either key that means the authors' grid. */
  public static final String AUTHORS = "authors";

  public NeedleGrid {
    contextLengths = List.copyOf(contextLengths);
    depthsPercent = List.copyOf(depthsPercent);
  }

  /** The authors' grid: 40 × 10. */
  public static NeedleGrid authors() {
    return new NeedleGrid(authorsLengths(), authorsDepths());
  }

  /** {@code round(linspace(1000, 128000, 40))}, rounding half to even as NumPy does. */
  static List<Integer> authorsLengths() {
    List<Integer> out = new ArrayList<>();
    for (double x : linspace(1000, 128_000, 40)) {
      out.add((int) Math.rint(x));
    }
    return out;
  }

  /** {@code round(linspace(0, 100, 10))}: 0, 11, 22, 33, 44, 56, 67, 78, 89, 100. */
  static List<Double> authorsDepths() {
    List<Double> out = new ArrayList<>();
    for (double x : linspace(0, 100, 10)) {
      out.add(Math.rint(x));
    }
    return out;
  }

  /** NumPy's linspace: start + i·step, the last point exactly {@code stop}. */
  static double[] linspace(double start, double stop, int n) {
    double[] out = new double[n];
    double step = (stop - start) / (n - 1);
    for (int i = 0; i < n; i++) {
      out[i] = start + i * step;
    }
    out[n - 1] = stop;
    return out;
  }

  /** The grid of two settings, each {@code authors} or a comma-separated list. */
  public static NeedleGrid parse(String lengths, String depths) {
    List<Integer> ls = lengths.strip().equals(AUTHORS) ? authorsLengths() : parseLengths(lengths);
    List<Double> ds = depths.strip().equals(AUTHORS) ? authorsDepths() : parseDepths(depths);
    return new NeedleGrid(ls, ds);
  }

  private static List<Integer> parseLengths(String value) {
    List<Integer> out = new ArrayList<>();
    for (String part : items(LENGTHS, value)) {
      int n;
      try {
        n = Integer.parseInt(part.replace("_", ""));
      } catch (NumberFormatException e) {
        throw ConfigException.invalid(
            LENGTHS, value, "'" + part + "' is not a whole number of tokens");
      }
      if (n < 1) {
        throw ConfigException.invalid(LENGTHS, value, "lengths must be positive, got " + n);
      }
      if (out.contains(n)) {
        throw ConfigException.invalid(LENGTHS, value, "lists " + n + " twice");
      }
      out.add(n);
    }
    return out;
  }

  private static List<Double> parseDepths(String value) {
    List<Double> out = new ArrayList<>();
    for (String part : items(DEPTHS, value)) {
      double d;
      try {
        d = Double.parseDouble(part);
      } catch (NumberFormatException e) {
        throw ConfigException.invalid(DEPTHS, value, "'" + part + "' is not a number");
      }
      if (!(d >= 0 && d <= 100)) {
        throw ConfigException.invalid(
            DEPTHS, value, "every depth must be a percentage in [0, 100], got " + part);
      }
      if (out.contains(d)) {
        throw ConfigException.invalid(DEPTHS, value, "lists " + part + " twice");
      }
      out.add(d);
    }
    return out;
  }

  private static List<String> items(String key, String value) {
    List<String> parts = new ArrayList<>();
    for (String p : value.split(",")) {
      if (!p.isBlank()) {
        parts.add(p.strip());
      }
    }
    if (parts.isEmpty()) {
      throw ConfigException.invalid(
          key, value, "must be '" + AUTHORS + "' or a comma-separated list");
    }
    return parts;
  }

  /** The longest context length. */
  public int longest() {
    return contextLengths.stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /** The shortest context length. */
  public int shortest() {
    return contextLengths.stream().mapToInt(Integer::intValue).min().orElse(0);
  }
}
