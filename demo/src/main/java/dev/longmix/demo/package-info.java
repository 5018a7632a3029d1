/**
 * A synthetic, deterministic stand-in for SlimPajama, so the pipeline runs on a fresh machine
 * without downloading or committing anyone's text. See {@link dev.longmix.demo.SampleCorpus}. Not
 * part of the recipe: a fixture for the demo and the tests.
 */
package dev.longmix.demo;
