package dev.longmix.jobs.tokenize;

import dev.longmix.common.config.ConfigException;
import dev.longmix.common.corpus.CorpusFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/** Lists a corpus (a directory, a file, or a glob, on any Hadoop filesystem) in a stable order. */
public final class InputListing {
  private InputListing() {}

  /**
   * The files of every input, numbered in order: the unnamed corpus's, or each named source's
   * (sorted by name) with {@code NAME/} before their relative paths and NAME as their domain.
   *
   * @throws ConfigException when an input is missing or empty, or one file is under two names
   */
  public static List<InputFile> list(Configuration conf, String key, List<CorpusInput> inputs) {
    List<InputFile> files = new ArrayList<>();
    Map<String, CorpusInput> owner = new HashMap<>();
    for (CorpusInput in : inputs) {
      List<InputFile> found;
      try {
        found = list(conf, key, in.path());
      } catch (ConfigException e) {
        if (!in.named()) {
          throw e;
        }
        throw new ConfigException(
            key,
            in.typed(),
            "source "
                + in.name()
                + ": "
                + in.path()
                + " "
                + e.rule()
                + (e.rule().startsWith("does not exist")
                    ? " (a path whose first part holds '=' is written ./" + in.typed() + ")"
                    : ""));
      }
      for (InputFile f : found) {
        if (in.named()) {
          String full = f.path(); // as listed: qualified, so the same file reads the same
          CorpusInput other = owner.put(full, in);
          if (other != null) {
            throw new ConfigException(
                key,
                in.typed(),
                "holds "
                    + full
                    + ", which is also under "
                    + other.typed()
                    + "; a file belongs to one source");
          }
          f =
              new InputFile(
                  files.size(),
                  f.path(),
                  in.name() + "/" + f.relative(),
                  f.bytes(),
                  f.format(),
                  in.name());
        }
        files.add(f);
      }
    }
    return List.copyOf(files);
  }

  public static List<InputFile> list(Configuration conf, String key, String input) {
    try {
      Path p = new Path(input);
      FileSystem fs = p.getFileSystem(conf);
      List<FileStatus> found = new ArrayList<>();
      String root;
      if (hasGlob(input)) {
        FileStatus[] matches = fs.globStatus(p);
        if (matches != null) {
          for (FileStatus m : matches) {
            collect(fs, m, found);
          }
        }
        root = globRoot(fs, p);
      } else {
        if (!fs.exists(p)) {
          throw new ConfigException(key, input, "does not exist");
        }
        FileStatus st = fs.getFileStatus(p);
        collect(fs, st, found);
        root =
            st.isDirectory()
                ? pathOf(fs.makeQualified(p))
                : pathOf(fs.makeQualified(p).getParent());
      }
      found.sort(Comparator.comparing(s -> s.getPath().toString()));
      List<InputFile> files = new ArrayList<>();
      for (FileStatus s : found) {
        Optional<CorpusFormat> f = CorpusFormat.of(s.getPath().getName());
        String full = pathOf(s.getPath());
        String rel = full.startsWith(root + "/") ? full.substring(root.length() + 1) : full;
        files.add(
            new InputFile(files.size(), s.getPath().toString(), rel, s.getLen(), f.get(), null));
      }
      if (files.isEmpty()) {
        throw new ConfigException(
            key, input, "holds no .jsonl, .jsonl.zst, .jsonl.gz or .parquet files");
      }
      return files;
    } catch (IOException e) {
      throw new ConfigException(key, input, "cannot be listed: " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw new ConfigException(key, input, "cannot be listed: " + e.getMessage());
    }
  }

  private static void collect(FileSystem fs, FileStatus st, List<FileStatus> out)
      throws IOException {
    if (st.isDirectory()) {
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(st.getPath(), true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        if (f.isFile() && isCorpusFile(st.getPath(), f.getPath())) {
          out.add(f);
        }
      }
    } else if (isCorpusFile(st.getPath().getParent(), st.getPath())) {
      out.add(st);
    }
  }

  /** Whether {@code p}, found below {@code base}, is a visible corpus file. */
  private static boolean isCorpusFile(Path base, Path p) {
    String name = p.getName();
    if (name.startsWith("_") || name.startsWith(".")) {
      return false;
    }
    // Hidden directories below the input (Spark's _temporary, .git) are not corpus either; the
    // input itself may live under one (e.g. .longmix/demo/corpus).
    String stop = base == null ? "" : base.toUri().getPath();
    for (Path q = p.getParent(); q != null && !q.isRoot(); q = q.getParent()) {
      if (q.toUri().getPath().equals(stop)) {
        break;
      }
      if (q.getName().startsWith("_") || q.getName().startsWith(".")) {
        return false;
      }
    }
    return CorpusFormat.of(name).isPresent();
  }

  private static boolean hasGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  private static String globRoot(FileSystem fs, Path p) {
    Path q = p;
    while (q != null && hasGlob(q.toString())) {
      q = q.getParent();
    }
    return q == null ? "" : pathOf(fs.makeQualified(q));
  }

  private static String pathOf(Path p) {
    String s = p.toUri().getPath();
    return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
  }
}
