package dev.longmix.common.plan;

import dev.longmix.common.config.ConfigException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The five mixture strategies of Fu et al. (2024), with their command-line names. */
public enum Strategy {
  /** Split documents into 4,096-token pieces, take pieces at random until the budget. */
  CUT_4K("cut-4k", 4096),
  /** Split documents at 131,072 tokens, take pieces at random: the original mixture. */
  CUT_128K("cut-128k", 131_072),
  /** Per-domain budgets; keep every long document and short ones at rate r (recommended). */
  PER_SOURCE("per-source", 0),
  /** One budget; keep every long document and short ones at rate r; domain shares drift. */
  GLOBAL("global", 0),
  /** Per-domain budgets with chosen domains raised, plus the short-document rule. */
  DOMAIN("domain", 0);

  private final String cliName;
  private final int defaultPieceTokens;

  Strategy(String cliName, int defaultPieceTokens) {
    this.cliName = cliName;
    this.defaultPieceTokens = defaultPieceTokens;
  }

  public String cliName() {
    return cliName;
  }

  /** Piece size the strategy cuts documents into; 0 means whole documents. */
  public int defaultPieceTokens() {
    return defaultPieceTokens;
  }

  /** Whether documents are cut into fixed-size pieces (and all pieces are kept at rate 1). */
  public boolean cutsDocuments() {
    return defaultPieceTokens > 0;
  }

  /** Whether each domain has its own budget (one pool per domain) rather than one shared pool. */
  public boolean budgetsPerDomain() {
    return this == PER_SOURCE || this == DOMAIN;
  }

  /** Parses the command-line name, e.g. {@code per-source}. */
  public static Strategy fromCli(String name) {
    for (Strategy s : values()) {
      if (s.cliName.equals(name)) {
        return s;
      }
    }
    throw ConfigException.invalid(
        PlanConfig.STRATEGY,
        name,
        "must be one of "
            + Arrays.stream(values()).map(Strategy::cliName).collect(Collectors.joining(", ")));
  }
}
