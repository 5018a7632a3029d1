package dev.longmix.common.select;

import dev.longmix.common.plan.DomainPlan;
import dev.longmix.common.plan.LengthClass;
import dev.longmix.common.plan.Plan;
import java.io.Serializable;
import java.util.HashMap;

/**
 * Expands a document into its candidates under a plan: every piece, every copy below the cap, each
 * with its keyed selection time and packing-order key.
 *
 * <p>Serializable so a Spark job can broadcast it; holds only the plan's per-domain rates.
 */
public final class CandidateGenerator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long seed;
  private final int maxCopies;
  private final int pieceTokens;
  private final long longThreshold;
  private final HashMap<String, DomainPlan> domains = new HashMap<>();

  /** Each domain's class-pool names, indexed by {@link LengthClass#ordinal()}: built once. */
  private final HashMap<String, String[]> classPools = new HashMap<>();

  public CandidateGenerator(Plan plan) {
    this.seed = plan.config().seed();
    this.maxCopies = plan.config().maxCopies();
    this.pieceTokens = plan.config().pieceTokens();
    this.longThreshold = plan.config().longThreshold();
    plan.domains().forEach(d -> domains.put(d.domain(), d));
    for (DomainPlan d : plan.domains()) {
      String[] names = new String[LengthClass.values().length];
      for (LengthClass c : LengthClass.values()) {
        names[c.ordinal()] = Plan.classPool(d.pool(), c);
      }
      classPools.put(d.domain(), names);
    }
  }

  /** Whether the plan knows {@code domain}; documents of other domains have no candidates. */
  public boolean covers(String domain) {
    return domains.containsKey(domain);
  }

  /** One candidate's selection fields, as {@link #times} hands them over. */
  @FunctionalInterface
  public interface TimedSink {
    void accept(int piece, int copy, int fromToken, int tokens, double time);
  }

  /**
   * The class pool all of a document's candidates belong to, or null when it has none (its domain
   * is not in the plan, it has no tokens, or its class's rate is 0).
   */
  public String classPool(String domain, long nTokens) {
    if (nTokens < 0 || nTokens > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("token count " + nTokens + " outside [0, 2^31)");
    }
    DomainPlan plan = domains.get(domain);
    if (plan == null || nTokens == 0) {
      return null;
    }
    LengthClass lengthClass = LengthClass.of(nTokens, longThreshold);
    return plan.classPlan(lengthClass).rate() <= 0
        ? null
        : classPools.get(domain)[lengthClass.ordinal()];
  }

  /**
   * Every candidate of a document with selection time below {@code maxTime} (every piece, each copy
   * below the cap, pieces in order and each piece's copies in time order), as its selection fields
   * only: no objects and no packing-order draw ({@link #orderKey}), for the passes over the whole
   * corpus that need only times and sizes.
   */
  public void times(long docId, String domain, long nTokens, double maxTime, TimedSink sink) {
    checkTokens(docId, nTokens);
    DomainPlan plan = domains.get(domain);
    if (plan == null || nTokens == 0) {
      return;
    }
    double rate = plan.classPlan(LengthClass.of(nTokens, longThreshold)).rate();
    if (rate <= 0) {
      return;
    }
    int n = (int) nTokens;
    int size = pieceTokens == 0 ? n : pieceTokens;
    int pieces = (int) ((n + (long) size - 1) / size);
    for (int piece = 0; piece < pieces; piece++) {
      int from = piece * size;
      int length = Math.min(size, n - from);
      for (int copy = 0; copy < maxCopies; copy++) {
        double u = KeyedRandom.uniform(seed, KeyedRandom.Stream.SELECT, docId, piece, copy);
        double time = (copy + u) / rate;
        if (time >= maxTime) {
          break; // later copies of this piece are later still
        }
        sink.accept(piece, copy, from, length, time);
      }
    }
  }

  /** The length class of a document of {@code nTokens} tokens, and so of all its candidates. */
  public LengthClass lengthClass(long nTokens) {
    return LengthClass.of(nTokens, longThreshold);
  }

  /** A candidate's packing-order key. */
  public long orderKey(long docId, int piece, int copy) {
    return KeyedRandom.hash(seed, KeyedRandom.Stream.ORDER, docId, piece, copy);
  }

  private static void checkTokens(long docId, long nTokens) {
    if (nTokens < 0 || nTokens > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "document " + docId + ": token count " + nTokens + " outside [0, 2^31)");
    }
  }
}
