package dev.longmix.common.plan;

/** How the domain strategy raises its chosen domains. */
public enum UpsampleForm {
  /**
   * The authors' code: each chosen domain gets raw weight {@code upsample-weight} (0.6), the others
   * keep their share, and all are normalised together.
   */
  JOINT(0.6),
  /**
   * The paper's Fig. 2 single-domain runs: the one chosen domain gets share {@code upsample-weight}
   * (0.55) and the others share the rest in their original proportions.
   */
  TARGET_SHARE(0.55);

  private final double defaultWeight;

  UpsampleForm(double defaultWeight) {
    this.defaultWeight = defaultWeight;
  }

  public double defaultWeight() {
    return defaultWeight;
  }
}
