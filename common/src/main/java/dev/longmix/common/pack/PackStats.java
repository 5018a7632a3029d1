package dev.longmix.common.pack;

import java.io.Serializable;

/**
 * What packing did with its input: rows written, and the tokens the tail dropped or padded.
 *
 * <p>Always {@code inputTokens - droppedTailTokens + padTokens == rows * seqLen}.
 *
 * @param items items packed
 * @param inputTokens tokens in those items
 * @param rows rows written
 * @param droppedTailTokens input tokens in a dropped partial last row
 * @param padTokens pad ids added to a padded last row
 */
public record PackStats(
    long items, long inputTokens, long rows, long droppedTailTokens, long padTokens)
    implements Serializable {}
