package dev.longmix.common.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.longmix.common.config.ConfigException;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * r, the rate at which short documents are kept, per domain: one rate for every domain ({@code
 * --keep-rate 0.1}, the recipe's form), or a rate per named domain and one for the rest ({@code
 * --keep-rate books=0,code=0,*=1}, ProLong's "long sources give long documents only, short sources
 * come whole"). A list without {@code *} leaves the other domains at {@link
 * PlanConfig#KEEP_RATE_DEFAULT}.
 *
 * @param rest the rate of every domain not named ({@code *})
 * @param named the rates of named domains, sorted by name; empty for one rate for all
 */
public record KeepRates(double rest, Map<String, Double> named) implements Serializable {

  /** The name that stands for every domain not named. */
  public static final String REST = "*";

  private static final String FORMS = "a number in [0, 1], or NAME=R,...,*=R";

  public KeepRates {
    if (!inRange(rest)) {
      throw ConfigException.invalid(PlanConfig.KEEP_RATE, rest, "must be in [0, 1]");
    }
    Map<String, Double> sorted = new TreeMap<>();
    for (Map.Entry<String, Double> e :
        (named == null ? Map.<String, Double>of() : named).entrySet()) {
      String name = e.getKey();
      if (name == null || name.isBlank() || name.equals(REST)) {
        throw ConfigException.invalid(
            PlanConfig.KEEP_RATE, name, "is not a domain name (" + REST + " is the rest's rate)");
      }
      if (e.getValue() == null || !inRange(e.getValue())) {
        throw ConfigException.invalid(
            PlanConfig.KEEP_RATE, name + "=" + e.getValue(), "a rate must be in [0, 1]");
      }
      sorted.put(name, e.getValue());
    }
    // unmodifiableMap over a TreeMap is Serializable, and sorted keeps the manifest stable.
    named = Collections.unmodifiableMap(sorted);
  }

  /** One rate for every domain. */
  public static KeepRates uniform(double rate) {
    return new KeepRates(rate, Map.of());
  }

  /**
   * Parses {@code --keep-rate} as typed: a number, or {@code NAME=R} entries separated by commas
   * with {@code *=R} for the rest.
   *
   * @throws ConfigException naming the value as typed and the rule it breaks
   */
  public static KeepRates parse(String text) {
    String v = text == null ? "" : text.strip();
    if (!v.contains("=")) {
      double r = number(text, v);
      if (!inRange(r)) {
        throw new ConfigException(PlanConfig.KEEP_RATE, text, "must be " + FORMS);
      }
      return uniform(r);
    }
    Map<String, Double> named = new LinkedHashMap<>();
    Double rest = null;
    for (String part : v.split(",", -1)) {
      String entry = part.strip();
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new ConfigException(
            PlanConfig.KEEP_RATE, text, "entry '" + entry + "' is not NAME=R; must be " + FORMS);
      }
      String name = entry.substring(0, eq).strip();
      String rateText = entry.substring(eq + 1).strip();
      if (name.isEmpty()) {
        throw new ConfigException(
            PlanConfig.KEEP_RATE, text, "entry '" + entry + "' has an empty domain name");
      }
      double r = number(text, rateText);
      if (!inRange(r)) {
        throw new ConfigException(
            PlanConfig.KEEP_RATE,
            text,
            "the rate of " + name + " is " + rateText + "; a rate must be in [0, 1]");
      }
      if (name.equals(REST)) {
        if (rest != null) {
          throw new ConfigException(PlanConfig.KEEP_RATE, text, "gives " + REST + " twice");
        }
        rest = r;
      } else if (named.put(name, r) != null) {
        throw new ConfigException(PlanConfig.KEEP_RATE, text, "names domain " + name + " twice");
      }
    }
    return new KeepRates(rest == null ? PlanConfig.KEEP_RATE_DEFAULT : rest, named);
  }

  private static double number(String text, String v) {
    try {
      double r = Double.parseDouble(v);
      if (Double.isFinite(r)) {
        return r;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(
        PlanConfig.KEEP_RATE, text, "'" + v + "' is not a number; must be " + FORMS);
  }

  private static boolean inRange(double r) {
    return r >= 0 && r <= 1;
  }

  /** The rate of {@code domain}'s short documents. */
  public double rate(String domain) {
    return named.getOrDefault(domain, rest);
  }

  /** Whether every domain has the same rate (the recipe's one r). */
  public boolean isUniform() {
    return named.isEmpty();
  }

  /** Reads what {@link #json()} writes: a number, or rates by name with {@code *}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static KeepRates fromJson(Object json) {
    if (json instanceof Number n) {
      return uniform(n.doubleValue());
    }
    if (json instanceof Map<?, ?> m) {
      Map<String, Double> named = new LinkedHashMap<>();
      double rest = PlanConfig.KEEP_RATE_DEFAULT;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        double r = ((Number) e.getValue()).doubleValue();
        if (REST.equals(e.getKey())) {
          rest = r;
        } else {
          named.put(String.valueOf(e.getKey()), r);
        }
      }
      return new KeepRates(rest, named);
    }
    throw new IllegalArgumentException("not a keep rate: " + json);
  }

  /** As the manifest writes it: the number for one rate, else the rates by name with {@code *}. */
  @JsonValue
  public Object json() {
    if (isUniform()) {
      return rest;
    }
    Map<String, Double> m = new LinkedHashMap<>(named);
    m.put(REST, rest);
    return m;
  }

  /**
   * As the command line spells it: {@code 0.1}, or {@code books=0.0,code=0.0,*=1.0}. One rate reads
   * as the bare number, so a plan configuration's text (and the fingerprints made from it) is what
   * it was before rates could differ by domain.
   */
  @Override
  public String toString() {
    if (isUniform()) {
      return Double.toString(rest);
    }
    StringBuilder sb = new StringBuilder();
    named.forEach((d, r) -> sb.append(d).append('=').append(r).append(','));
    return sb.append(REST).append('=').append(rest).toString();
  }

  /** For tables: {@code 0.1000}, or {@code books=0.0000 code=0.0000 *=1.0000}. */
  public String describe() {
    if (isUniform()) {
      return String.format(Locale.ROOT, "%.4f", rest);
    }
    StringBuilder sb = new StringBuilder();
    named.forEach((d, r) -> sb.append(String.format(Locale.ROOT, "%s=%.4f ", d, r)));
    return sb.append(String.format(Locale.ROOT, "%s=%.4f", REST, rest)).toString();
  }
}
