/**
 * The evaluation data of the recipe without an engine: which documents are held out of training,
 * how validation cells are filled, the needle grid, and how a needle prompt is placed.
 */
package dev.longmix.common.eval;
