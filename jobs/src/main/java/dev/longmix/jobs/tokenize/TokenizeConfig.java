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
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The validated settings of the tokenize stage, resolved before Spark starts.
 *
 * @param input the input as printed: the corpus path, or the named sources as given
 * @param inputs the one unnamed corpus, or the named sources sorted by name
 */
public record TokenizeConfig(
    String input,
    List<CorpusInput> inputs,
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
                  CorpusInput.KEY,
                  "PATH|NAME=PATH",
                  "corpus: a folder, file or glob of .jsonl[.zst|.gz]/.parquet whose records name"
                      + " their domain (--domain-field); or, repeated, named sources NAME=PATH whose"
                      + " records are all of domain NAME")
              .asRepeatable(),
          Option.required("output", "DIR", "where the tokenized dataset goes"),
          Option.required(
              "tokenizer", "PATH|URI|HUB_ID", "a tokenizer.json (or folder), URI, or hub id"),
          Option.optional(
              "text-field", "NAME", RecordFields.TEXT_FIELD_DEFAULT, "JSON field holding the text"),
          Option.optional(
              "domain-field",
              "NAME",
              RecordFields.DOMAIN_FIELD_DEFAULT,
              "JSON field (dotted path) holding the domain (an unnamed --input only)"),
          Option.optional(
              "domains",
              "A,B,...",
              null,
              "the allowed domains; others are rejected (default: any name is a domain); with"
                  + " named sources it must hold every name"),
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
        file's path below the input root (NAME/path for a named source) and the line number, the
        same on every rerun. Give one --input PATH whose records carry their domain, or one
        --input NAME=PATH per source (PATH any folder, file or glob; every record under it is of
        domain NAME; a file under two names is an error).
        """,
        OPTIONS);
  }

  /** This configuration writing to {@code dir} instead (the run command's ROOT/tokenized). */
  public TokenizeConfig withOutput(String dir) {
    return new TokenizeConfig(
        input,
        inputs,
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
    List<CorpusInput> inputs = CorpusInput.parse(s.values(CorpusInput.KEY));
    boolean named = inputs.get(0).named();
    String input =
        named
            ? String.join(" ", inputs.stream().map(CorpusInput::typed).toList())
            : inputs.get(0).path();
    String output = s.string("output");
    String textField = s.string("text-field");
    String domainField = s.string("domain-field");
    if (!RecordFields.isValidPath(textField)) {
      throw new ConfigException("text-field", textField, "must be a field name or dotted path");
    }
    if (!RecordFields.isValidPath(domainField)) {
      throw new ConfigException("domain-field", domainField, "must be a field name or dotted path");
    }
    if (named && s.isSet("domain-field")) {
      throw new ConfigException(
          "domain-field",
          domainField,
          "applies to an unnamed --input only; the records of a named source NAME=PATH are all of"
              + " domain NAME");
    }
    Set<String> allowed = new LinkedHashSet<>(s.list("domains"));
    if (named && !allowed.isEmpty()) {
      for (CorpusInput in : inputs) {
        if (!allowed.contains(in.name())) {
          throw new ConfigException(
              "domains",
              s.string("domains"),
              "does not hold source "
                  + in.name()
                  + " ("
                  + in.typed()
                  + "); with named sources every name must be a domain of --domains");
        }
      }
    }
    RecordFields fields = RecordFields.of(textField, domainField, allowed);
    String specialName =
        s.choice(
            SpecialTokens.KEY,
            Arrays.stream(SpecialTokens.values()).map(SpecialTokens::cliName).toList());
    SpecialTokens special = SpecialTokens.parse(specialName);
    double maxReject = s.fraction("max-reject-fraction");
    long progress = s.nonNegativeLong("progress-interval");
    List<InputFile> files = InputListing.list(hadoop, CorpusInput.KEY, inputs);
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
    if (named) {
      // Only named runs add this, so an unnamed corpus keeps the fingerprint it always had.
      fp.add("sources", String.join(",", inputs.stream().map(CorpusInput::name).toList()));
    }
    for (InputFile f : files) {
      fp.add("file", f.relative() + ":" + f.bytes());
    }
    return new TokenizeConfig(
        input, inputs, output, files, tok, settings, maxReject, progress, fp.value(), resolved);
  }
}
