/**
 * The long-context data recipe without an engine: records, tokenizer, histograms, plans, packing.
 */
package dev.longmix.common;
