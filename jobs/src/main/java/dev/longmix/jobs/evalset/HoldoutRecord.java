package dev.longmix.jobs.evalset;

import dev.longmix.common.eval.HoldoutRule;
import dev.longmix.jobs.manifest.HoldoutManifest;
import dev.longmix.jobs.manifest.Manifests;
import dev.longmix.jobs.spark.Fingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The record of a tokenized dataset's eval pool: {@code TOKENIZED/_holdout/}, inside the dataset it
 * holds out from, so every later pack of that dataset finds it without being told. Its started
 * marker (written before anything else) declares the holdout; {@code documents.parquet} lists the
 * held-out documents (doc_id, domain, n_tokens, ids_hash) sorted by doc id; {@code _manifest.json},
 * written last, makes it complete. Spark's readers skip the folder (its name starts with {@code
 * _}), as they skip {@code _rejects/}.
 */
public final class HoldoutRecord {
  public static final String DIR = "_holdout";
  public static final String FILE = "documents.parquet";

  static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message holdout { required int64 doc_id; required binary domain (STRING);"
              + " required int32 n_tokens; required int64 ids_hash; }");

  private HoldoutRecord() {}

  /** The record's folder in the tokenized dataset {@code input}. */
  public static String dir(String input) {
    return new Path(input, DIR).toString();
  }

  /** The fingerprint of a record of {@code rule} over the dataset of {@code inputFingerprint}. */
  public static String fingerprint(String inputFingerprint, HoldoutRule rule) {
    return new Fingerprint(HoldoutManifest.STAGE)
        .add("input", inputFingerprint)
        .add("seed", Long.toString(rule.seed()))
        .add("fraction", Double.toString(rule.fraction()))
        .add("ids-hash", "IdsHash/1")
        .value();
  }

  /** What a dataset's folder says about a holdout. */
  public enum Kind {
    /** No {@code _holdout/}: no holdout was ever declared. */
    NONE,
    /** Declared (the folder exists) but not complete: a run cut short, or files removed. */
    INCOMPLETE,
    /** Complete: its manifest is there. */
    COMPLETE
  }

  /** The state of {@code input}'s record, and its manifest when complete. */
  public record Found(Kind kind, Manifests.Manifest<HoldoutManifest> manifest) {}

  public static Found inspect(Configuration conf, String input) {
    String dir = dir(input);
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return new Found(Kind.NONE, null);
      }
      Optional<Manifests.Manifest<HoldoutManifest>> m =
          Manifests.read(conf, dir, HoldoutManifest.class).filter(x -> x.header().complete());
      if (m.isEmpty()
          || !HoldoutManifest.STAGE.equals(m.get().header().stage())
          || !fs.exists(new Path(p, FILE))) {
        return new Found(Kind.INCOMPLETE, null);
      }
      return new Found(Kind.COMPLETE, m.get());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot inspect " + dir, e);
    }
  }

  /**
   * The held-out documents, sorted by doc id.
   *
   * @param docIds each document's id, ascending
   * @param domains its domain
   * @param nTokens its length
   * @param idsHashes the {@link dev.longmix.common.eval.IdsHash} of its ids
   */
  public record Documents(long[] docIds, String[] domains, int[] nTokens, long[] idsHashes) {
    public int size() {
      return docIds.length;
    }

    public long tokens() {
      return Arrays.stream(nTokens).asLongStream().sum();
    }
  }

  /** Reads the record's documents. */
  public static Documents read(Configuration conf, String input) {
    Path file = new Path(dir(input), FILE);
    List<Group> rows = new ArrayList<>();
    try (ParquetReader<Group> r =
        ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
      Group g;
      while ((g = r.read()) != null) {
        rows.add(g);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    int n = rows.size();
    long[] ids = new long[n];
    String[] domains = new String[n];
    int[] tokens = new int[n];
    long[] hashes = new long[n];
    for (int i = 0; i < n; i++) {
      Group g = rows.get(i);
      ids[i] = g.getLong("doc_id", 0);
      domains[i] = g.getString("domain", 0);
      tokens[i] = g.getInteger("n_tokens", 0);
      hashes[i] = g.getLong("ids_hash", 0);
      if (i > 0 && ids[i] <= ids[i - 1]) {
        throw new IllegalStateException(file + ": doc ids not strictly ascending at row " + i);
      }
    }
    return new Documents(ids, domains, tokens, hashes);
  }

  /** Writes the record's documents (sorted by doc id) as {@code dir/documents.parquet}. */
  static void write(Configuration conf, String input, Documents docs) {
    Path file = new Path(dir(input), FILE);
    try (ParquetWriter<Integer> w =
        ParquetRows.writer(
            conf,
            file,
            SCHEMA,
            (i, c) -> {
              ParquetRows.field(c, "doc_id", 0, docs.docIds()[i]);
              ParquetRows.field(c, "domain", 1, docs.domains()[i]);
              ParquetRows.field(c, "n_tokens", 2, docs.nTokens()[i]);
              ParquetRows.field(c, "ids_hash", 3, docs.idsHashes()[i]);
            })) {
      for (int i = 0; i < docs.size(); i++) {
        w.write(i);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
