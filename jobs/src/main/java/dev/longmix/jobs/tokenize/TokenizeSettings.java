package dev.longmix.jobs.tokenize;

import dev.longmix.common.corpus.RecordFields;
import dev.longmix.common.tokenizer.HfTokenizer;
import dev.longmix.common.tokenizer.SpecialTokens;
import dev.longmix.common.tokenizer.TokenizerCache;
import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;

/**
 * What every tokenize task needs to know, shipped once per task.
 *
 * @param tokenizerKey the tokenizer file's hash plus framing, keying the per-executor cache
 */
public record TokenizeSettings(
    RecordFields fields,
    SpecialTokens special,
    String bosToken,
    String eosToken,
    String tokenizerKey)
    implements Serializable {

  /** This executor's tokenizer for these settings, built once from the broadcast file text. */
  public HfTokenizer tokenizer(Broadcast<String> tokenizerJson) {
    return TokenizerCache.get(
        tokenizerKey,
        () -> HfTokenizer.fromJson(tokenizerJson.value(), special, bosToken, eosToken));
  }
}
