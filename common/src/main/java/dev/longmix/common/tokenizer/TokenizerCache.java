package dev.longmix.common.tokenizer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One tokenizer per JVM and configuration: every task on an executor shares it instead of paying
 * the vocabulary load (hundreds of milliseconds) per partition. Lives as long as the executor.
 */
public final class TokenizerCache {
  private static final Map<String, HfTokenizer> CACHE = new ConcurrentHashMap<>();

  private TokenizerCache() {}

  public static HfTokenizer get(String key, Supplier<HfTokenizer> build) {
    return CACHE.computeIfAbsent(key, k -> build.get());
  }
}
