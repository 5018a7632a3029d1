package dev.longmix.jobs.tokenize;

import dev.longmix.common.corpus.RecordFields;
import dev.longmix.common.tokenizer.SpecialTokens;
import java.io.Serializable;

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
    implements Serializable {}
