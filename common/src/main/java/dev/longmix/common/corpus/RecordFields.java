package dev.longmix.common.corpus;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * Where a JSON record keeps its text and its domain, as dotted paths, and which domains are
 * allowed.
 *
 * @param textPath path of the text field, e.g. {@code text}
 * @param domainPath path of the domain field, e.g. {@code meta.redpajama_set_name}
 * @param allowedDomains the configured domain set; empty means every name is a domain
 */
public record RecordFields(
    List<String> textPath, List<String> domainPath, Set<String> allowedDomains)
    implements Serializable {

  public static final String TEXT_FIELD_DEFAULT = "text";
  public static final String DOMAIN_FIELD_DEFAULT = "meta.redpajama_set_name";

  public RecordFields {
    textPath = List.copyOf(textPath);
    domainPath = List.copyOf(domainPath);
    allowedDomains = Set.copyOf(allowedDomains);
    if (textPath.isEmpty() || domainPath.isEmpty()) {
      throw new IllegalArgumentException("field paths must not be empty");
    }
  }

  /** Builds the paths from dotted names such as {@code meta.redpajama_set_name}. */
  public static RecordFields of(String textField, String domainField, Set<String> allowedDomains) {
    return new RecordFields(split(textField), split(domainField), allowedDomains);
  }

  /** SlimPajama's schema: {@code text} and {@code meta.redpajama_set_name}, any domain. */
  public static RecordFields slimPajama() {
    return of(TEXT_FIELD_DEFAULT, DOMAIN_FIELD_DEFAULT, Set.of());
  }

  /** Whether a dotted field name is well formed (non-empty segments). */
  public static boolean isValidPath(String dotted) {
    if (dotted == null || dotted.isEmpty()) {
      return false;
    }
    for (String part : dotted.split("\\.", -1)) {
      if (part.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private static List<String> split(String dotted) {
    if (!isValidPath(dotted)) {
      throw new IllegalArgumentException("not a dotted field path: '" + dotted + "'");
    }
    return List.of(dotted.split("\\."));
  }
}
