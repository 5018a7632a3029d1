package dev.longmix.common.plan;

import dev.longmix.common.config.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the planner does when a pool cannot be filled by taking each item at most once. */
public enum InfeasiblePolicy {
  /** Repeat items (each copy at its own random time) up to {@code max-copies}; fail beyond it. */
  REPEAT,
  /** Stop with {@link InfeasiblePlanException} as soon as a pool would need any repetition. */
  FAIL;

  /** The command-line spelling: {@code repeat} or {@code fail}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the command-line spelling. */
  public static InfeasiblePolicy fromCli(String name) {
    for (InfeasiblePolicy p : values()) {
      if (p.cliName().equals(name)) {
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
