package dev.longmix.common.plan;

import java.io.Serializable;

/**
 * One length class of a pool or domain: what exists, the rate it is drawn at, and what the plan
 * expects to take.
 *
 * @param lengthClass long or short
 * @param documents documents of this class in the input
 * @param tokensAvailable tokens of this class in the input (each counted once)
 * @param rate λ, copies per unit of selection time; 0 means never selected
 * @param expectedTokens expected selected tokens, copies included
 * @param meanCopies expected copies per input token, min(λ·T*, K); 0 for an empty class
 */
public record ClassPlan(
    LengthClass lengthClass,
    long documents,
    long tokensAvailable,
    double rate,
    double expectedTokens,
    double meanCopies)
    implements Serializable {}
