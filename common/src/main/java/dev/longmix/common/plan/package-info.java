/**
 * Mixture strategies, their validated configuration, and the planner that turns a length histogram
 * into per-pool budgets, per-class sampling rates and expected outcomes.
 */
package dev.longmix.common.plan;
