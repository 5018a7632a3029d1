/** Token-length bins and per-domain length histograms that merge across Spark partitions. */
package dev.longmix.common.histogram;
