package dev.longmix.jobs;

/** The process exit codes, documented in {@code --help} and the README. */
public final class ExitCode {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int INVALID_SETTINGS = 2;
  public static final int TOO_MANY_REJECTS = 3;
  public static final int INFEASIBLE_PLAN = 4;

  private ExitCode() {}
}
