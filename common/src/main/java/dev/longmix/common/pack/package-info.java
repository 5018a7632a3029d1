/**
 * Packing of selected items into fixed-length rows with document spans, both streaming and in the
 * distributed form (fragments placed by global offset, assembled per row).
 */
package dev.longmix.common.pack;
