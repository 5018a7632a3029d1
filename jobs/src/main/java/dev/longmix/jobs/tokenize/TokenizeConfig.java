package dev.longmix.jobs.tokenize;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.corpus.RecordFields;
import dev.longmix.common.tokenizer.HfTokenizer;
import dev.longmix.common.tokenizer.SpecialTokens;
import dev.longmix.jobs.cli.CommandSpec;
import dev.longmix.jobs.cli.Option;
import dev.longmix.jobs.cli.Settings;
import dev.longmix.jobs.spark.Fingerprint;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/** The validated settings of the tokenize stage, resolved before Spark starts. */
public record TokenizeConfig(
    String input,
    String output,
    List<InputFile> files,
    TokenizerSource tokenizer,
    TokenizeSettings settings,
    double maxRejectFraction,
    long progressSeconds,
    String fingerprint,
    Map<String, String> resolved) {

  public static final String MAX_REJECT_FRACTION_DEFAULT = "0.05";

  public static final List<Option> OPTIONS =
      List.of(
          Option.required(
              "input", "PATH", "corpus: a folder, file or glob of .jsonl[.zst|.gz]/.parquet"),
          Option.required("output", "DIR", "where the tokenized dataset goes"),
          Option.required(
              "tokenizer", "PATH|URI|HUB_ID", "a tokenizer.json (or folder), URI, or hub id"),
          Option.optional(
              "text-field", "NAME", RecordFields.TEXT_FIELD_DEFAULT, "JSON field holding the text"),
          Option.optional(
              "domain-field",
              "NAME",
              RecordFields.DOMAIN_FIELD_DEFAULT,
              "JSON field (dotted path) holding the domain"),
          Option.optional(
              "domains",
              "A,B,...",
              null,
              "the allowed domains; others are rejected (default: any name is a domain)"),
          Option.optional(
              SpecialTokens.KEY,
              "MODE",
              "post-processor",
              "document framing: post-processor, none, bos, eos, bos-eos"),
          Option.optional("bos-token", "TEXT", "<s>", "BOS token for --special-tokens bos|bos-eos"),
          Option.optional(
              "eos-token", "TEXT", "</s>", "EOS token for --special-tokens eos|bos-eos"),
          Option.optional(
              "max-reject-fraction",
              "F",
              MAX_REJECT_FRACTION_DEFAULT,
              "fail (exit 3) when more than this share of input records is rejected"));

  public static CommandSpec spec() {
    return new CommandSpec(
        "tokenize",
        "Stage 1: tokenize a SlimPajama-layout corpus into a Parquet dataset of token ids.",
        """
        Each input line becomes one document row (doc_id, domain, n_tokens, n_chars, input_ids,
        source, line) or one row in OUTPUT/_rejects with its reason. doc_id is a hash of the
        file's path below the input root and the line number, the same on every rerun.
        """,
        OPTIONS);
  }

  /** This configuration writing to {@code dir} instead (the run command's ROOT/tokenized). */
  public TokenizeConfig withOutput(String dir) {
    return new TokenizeConfig(
        input,
        dir,
        files,
        tokenizer,
        settings,
        maxRejectFraction,
        progressSeconds,
        fingerprint,
        resolved);
  }

  /** Validates everything that can be checked without Spark, including reading the tokenizer. */
  public static TokenizeConfig from(Settings s, Configuration hadoop) {
    String input = s.string("input");
    String output = s.string("output");
    String textField = s.string("text-field");
    String domainField = s.string("domain-field");
    if (!RecordFields.isValidPath(textField)) {
      throw new ConfigException("text-field", textField, "must be a field name or dotted path");
    }
    if (!RecordFields.isValidPath(domainField)) {
      throw new ConfigException("domain-field", domainField, "must be a field name or dotted path");
    }
    RecordFields fields =
        RecordFields.of(textField, domainField, new LinkedHashSet<>(s.list("domains")));
    String specialName =
        s.choice(
            SpecialTokens.KEY,
            Arrays.stream(SpecialTokens.values()).map(SpecialTokens::cliName).toList());
    SpecialTokens special = SpecialTokens.parse(specialName);
    double maxReject = s.fraction("max-reject-fraction");
    long progress = s.nonNegativeLong("progress-interval");
    List<InputFile> files = InputListing.list(hadoop, "input", input);
    TokenizerSource tok = TokenizerSource.resolve(hadoop, "tokenizer", s.string("tokenizer"));
    try (HfTokenizer check =
        HfTokenizer.fromJson(tok.json(), special, s.string("bos-token"), s.string("eos-token"))) {
      check.encode("longmix");
    } catch (IllegalArgumentException e) {
      throw new ConfigException("tokenizer", s.string("tokenizer"), e.getMessage());
    } catch (RuntimeException e) {
      throw new ConfigException(
          "tokenizer", s.string("tokenizer"), "is not a usable tokenizer.json: " + e.getMessage());
    }
    Map<String, String> resolved = new TreeMap<>(s.resolved());
    TokenizeSettings settings =
        new TokenizeSettings(
            fields,
            special,
            s.string("bos-token"),
            s.string("eos-token"),
            tok.sha256()
                + "/"
                + special
                + "/"
                + s.string("bos-token")
                + "/"
                + s.string("eos-token"));
    Fingerprint fp = new Fingerprint("tokenize");
    fp.add("tokenizer", tok.sha256());
    for (String k :
        List.of(
            "text-field", "domain-field", "domains", SpecialTokens.KEY, "bos-token", "eos-token")) {
      fp.add(k, s.optional(k).orElse(""));
    }
    for (InputFile f : files) {
      fp.add("file", f.relative() + ":" + f.bytes());
    }
    return new TokenizeConfig(
        input, output, files, tok, settings, maxReject, progress, fp.value(), resolved);
  }
}
