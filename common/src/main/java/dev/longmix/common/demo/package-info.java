/**
 * A synthetic, deterministic stand-in for SlimPajama, so the pipeline runs on a fresh machine
 * without downloading or committing anyone's text. See {@link
 * dev.longmix.common.demo.SampleCorpus}.
 */
package dev.longmix.common.demo;
