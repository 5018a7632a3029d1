/**
 * Packing of selected items into fixed-length rows with document spans: items placed by their
 * global offset split into row fragments ({@link dev.longmix.common.pack.RowFragment}), rows built
 * from their fragments ({@link dev.longmix.common.pack.RowAssembler}), and what a pack produced
 * against its plan ({@link dev.longmix.common.pack.PackOutcome}, from a mergeable {@link
 * dev.longmix.common.pack.PackTally}).
 */
package dev.longmix.common.pack;
