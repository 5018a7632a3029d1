package dev.longmix.common.plan;

import java.util.List;

/**
 * The budget cannot be met within the configured repetition rules; the message says which pool, how
 * many tokens are needed and how many exist, once and with the copy cap.
 */
public final class InfeasiblePlanException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Plan plan;

  InfeasiblePlanException(Plan plan, List<String> problems) {
    super(String.join("\n", problems));
    this.plan = plan;
  }

  /** The plan that was rejected, so a caller can still print its table. */
  public Plan plan() {
    return plan;
  }
}
