package dev.longmix.jobs.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longmix.common.config.ConfigException;
import dev.longmix.common.tokenizer.HfTokenizer;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.manifest.PackManifest;
import dev.longmix.jobs.manifest.TokenizeManifest;
import dev.longmix.jobs.tokenize.TokenizerSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;

/**
 * The tokenizer a packed output's ids come from, found through the manifests: the pack manifest
 * names its tokenized input, whose manifest names the {@code tokenizer.json} (with its SHA-256,
 * which the pack manifest also records) and the {@code --eos-token} tokenize was given. Neither
 * manifest records the ids themselves, so the file is read again.
 *
 * @param origin where the {@code tokenizer.json} was read from (the tokenize manifest's origin)
 * @param eosToken the text of the EOS token, tokenize's {@code --eos-token}
 * @param eosId its id, empty when the tokenizer has no such token
 * @param vocabulary the number of ids: one more than the largest id in the vocabulary or the added
 *     tokens
 */
record InputTokenizer(String origin, String eosToken, OptionalInt eosId, int vocabulary) {
  private static final String HUB = "huggingface-hub:";

  /** The tokenizer, or why the manifests do not lead to it (then {@code tokenizer} is null). */
  record Lookup(InputTokenizer tokenizer, String missing) {
    static Lookup missing(String why) {
      return new Lookup(null, why);
    }
  }

  /** Follows {@code packed}'s manifests to its tokenizer; never throws for what it cannot find. */
  static Lookup find(Configuration hadoop, PackManifest packed) {
    String tokenized = packed.input();
    if (tokenized == null) {
      return Lookup.missing("the pack manifest names no tokenized input");
    }
    Optional<Manifests.Manifest<TokenizeManifest>> m;
    try {
      m = Manifests.read(hadoop, tokenized, TokenizeManifest.class);
    } catch (UncheckedIOException e) {
      return Lookup.missing("its tokenized input " + tokenized + ": " + e.getMessage());
    }
    if (m.isEmpty()
        || !m.get().header().complete()
        || !TokenizeManifest.STAGE.equals(m.get().header().stage())) {
      return Lookup.missing(
          "its tokenized input " + tokenized + " has no complete tokenize manifest (moved?)");
    }
    TokenizeManifest.Tokenizer t = m.get().body().tokenizer();
    String eosToken = m.get().header().config().get("eos-token");
    if (t == null || t.origin() == null || t.sha256() == null || eosToken == null) {
      return Lookup.missing(
          "the manifest of " + tokenized + " does not record its tokenizer and --eos-token");
    }
    if (packed.tokenizerSha256() != null && !packed.tokenizerSha256().equals(t.sha256())) {
      return Lookup.missing(
          tokenized + " now holds ids of another tokenizer than the packed rows (rewritten?)");
    }
    String spec = t.origin().startsWith(HUB) ? t.origin().substring(HUB.length()) : t.origin();
    TokenizerSource source;
    try {
      source = TokenizerSource.resolve(hadoop, "tokenizer", spec);
    } catch (ConfigException e) {
      return Lookup.missing("its tokenizer " + t.origin() + " " + e.rule());
    }
    if (!source.sha256().equals(t.sha256())) {
      return Lookup.missing(
          "its tokenizer " + t.origin() + " is no longer the file tokenize read (SHA-256 differs)");
    }
    JsonNode root;
    try {
      root = Manifests.JSON.readTree(source.json());
    } catch (IOException e) {
      return Lookup.missing("its tokenizer " + t.origin() + " is not JSON: " + e.getMessage());
    }
    return new Lookup(
        new InputTokenizer(
            t.origin(), eosToken, HfTokenizer.tokenId(root, eosToken), HfTokenizer.vocabSize(root)),
        null);
  }
}
