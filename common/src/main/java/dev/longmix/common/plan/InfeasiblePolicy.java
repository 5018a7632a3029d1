package dev.longmix.common.plan;

import dev.longmix.common.config.ConfigException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What the planner does when a pool's budget is more than its documents give under the keep rule
 * taken once: each policy names how far the plan may depart from taking every long document and
 * short ones at rate r exactly once.
 */
public enum InfeasiblePolicy {
  /**
   * Repeat items (each copy at its own random time) up to {@code max-copies}, keeping the keep
   * rule's proportions; fail when even that cannot fill the budget.
   */
  REPEAT("repeat"),
  /** Stop with {@link InfeasiblePlanException} as soon as a pool would need any repetition. */
  FAIL("fail"),
  /**
   * Repeat up to {@code max-copies} like {@link #REPEAT}, then take the rest of the budget from the
   * class that still has documents (short ones, at a higher rate than r): the budget is met, the
   * keep rule's long share is not, and the plan says so per domain.
   */
  FILL_SHORT("fill-short");

  private final String cliName;

  InfeasiblePolicy(String cliName) {
    this.cliName = cliName;
  }

  /** The command-line spelling: {@code repeat}, {@code fail} or {@code fill-short}. */
  public String cliName() {
    return cliName;
  }

  /** Whether items may be taken more than once (up to {@code max-copies}). */
  public boolean repeats() {
    return this != FAIL;
  }

  /** Parses the command-line spelling. */
  public static InfeasiblePolicy fromCli(String name) {
    for (InfeasiblePolicy p : values()) {
      if (p.cliName.equals(name)) {
        return p;
      }
    }
    throw ConfigException.invalid(
        PlanConfig.INFEASIBLE,
        name,
        "must be one of "
            + Arrays.stream(values())
                .map(InfeasiblePolicy::cliName)
                .collect(Collectors.joining(", ")));
  }
}
