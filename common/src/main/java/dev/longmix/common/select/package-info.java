/**
 * Keyed randomness, candidate generation and the exact, distributable budget cutoff that select
 * items for a plan independently of partitioning and retries.
 */
package dev.longmix.common.select;
