package dev.longmix.common.corpus;

import java.util.regex.Pattern;

/**
 * What a domain name given on the command line may be (a named source's name): letters, digits,
 * {@code _ - .}, starting with a letter or digit. Such a name is safe as a folder name, in a {@code
 * NAME=VALUE,...} list (no {@code = , *} or space), and as the prefix of a document's provenance
 * ({@code NAME/path}, no {@code /}). Domains read from a record's field are not held to it: they
 * are whatever the corpus says.
 */
public final class DomainNames {
  /** The longest name accepted. */
  public static final int MAX_LENGTH = 128;

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  /** The rule, as error messages state it. */
  public static final String RULE =
      "a domain name is 1 to "
          + MAX_LENGTH
          + " letters, digits, '_', '-' or '.', starting with a letter or digit";

  private DomainNames() {}

  public static boolean isValid(String name) {
    return name != null && name.length() <= MAX_LENGTH && VALID.matcher(name).matches();
  }
}
