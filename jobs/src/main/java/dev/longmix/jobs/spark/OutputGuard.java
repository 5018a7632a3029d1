package dev.longmix.jobs.spark;

import dev.longmix.common.config.ConfigException;
import dev.longmix.jobs.compat.Deletes;
import dev.longmix.jobs.manifest.ManifestHeader;
import dev.longmix.jobs.manifest.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Decides, before Spark starts, what to do with an output directory: skip (complete for the same
 * fingerprint), write (absent, empty, or our own interrupted attempt), or refuse (someone else's
 * data or a different config, unless {@code --overwrite}).
 */
public final class OutputGuard {
  /** Marker written when a stage starts writing; lets a rerun recognise its own partial output. */
  public static final String STARTED = "_longmix_started.json";

  public enum Decision {
    SKIP,
    WRITE
  }

  private OutputGuard() {}

  public static Decision decide(
      Configuration conf,
      String outputKey,
      String dir,
      String fingerprint,
      boolean force,
      boolean overwrite) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return Decision.WRITE;
      }
      if (!fs.getFileStatus(p).isDirectory()) {
        throw new ConfigException(outputKey, dir, "exists and is a file, not a directory");
      }
      Optional<ManifestHeader> manifest = Manifests.header(conf, dir);
      if (manifest.isPresent()) {
        String old = Objects.requireNonNullElse(manifest.get().fingerprint(), "");
        boolean accepted = manifest.get().complete();
        if (old.equals(fingerprint) && accepted && !force) {
          return Decision.SKIP;
        }
        if (old.equals(fingerprint) || overwrite) {
          return Decision.WRITE;
        }
        throw new ConfigException(
            outputKey,
            dir,
            "holds a complete dataset made with different inputs or settings; pass --overwrite"
                + " to replace it, or choose another directory");
      }
      FileStatus[] children = fs.listStatus(p);
      if (children.length == 0 || overwrite || fs.exists(new Path(p, STARTED))) {
        return Decision.WRITE;
      }
      throw new ConfigException(
          outputKey, dir, "exists, is not empty and was not written by longmix; pass --overwrite");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot inspect " + dir, e);
    }
  }

  /**
   * Whether {@code dir} already holds the complete output of this stage for {@code fingerprint}, in
   * which case the stage is skipped and says so; refusals surface as {@link ConfigException}.
   */
  public static boolean upToDate(
      Configuration conf,
      String stage,
      String dir,
      String fingerprint,
      boolean force,
      boolean overwrite,
      java.io.PrintStream out) {
    if (decide(conf, "output", dir, fingerprint, force, overwrite) != Decision.SKIP) {
      return false;
    }
    out.println(
        "["
            + stage
            + "] "
            + dir
            + " is complete for these inputs and settings; skipped, nothing to do (--force to"
            + " redo)");
    return true;
  }

  /**
   * The refusals that do not depend on a fingerprint (a file, or someone else's non-empty
   * directory), for an output whose fingerprint is known only once earlier stages ran.
   */
  public static void precheck(Configuration conf, String outputKey, String dir, boolean overwrite) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        return;
      }
      if (!fs.getFileStatus(p).isDirectory()) {
        throw new ConfigException(outputKey, dir, "exists and is a file, not a directory");
      }
      if (overwrite
          || Manifests.header(conf, dir).isPresent()
          || fs.exists(new Path(p, STARTED))
          || fs.listStatus(p).length == 0) {
        return;
      }
      throw new ConfigException(
          outputKey, dir, "exists, is not empty and was not written by longmix; pass --overwrite");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot inspect " + dir, e);
    }
  }

  /**
   * Deletes whatever is at {@code dir} and leaves the started-marker for this fingerprint.
   *
   * <p>The marker is written first and is never deleted, and the manifest and {@code _SUCCESS} go
   * before anything else: a delete cut short (an S3 endpoint that goes away, a killed driver; S3
   * deletes a directory object by object or page by page, in key order, and {@code
   * _longmix_started.json} sorts before the part files) then leaves a directory that is not
   * complete and that a rerun still takes for its own, instead of one it refuses as someone else's
   * data.
   */
  public static void begin(Configuration conf, String dir, String fingerprint) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      Path marker = fs.makeQualified(new Path(p, STARTED));
      Map<String, String> claim = Map.of("fingerprint", fingerprint);
      if (!fs.exists(p)) {
        fs.mkdirs(p);
        Manifests.writeFile(conf, marker, claim);
        return;
      }
      if (!fs.getFileStatus(p).isDirectory()) {
        fs.delete(p, false);
        fs.mkdirs(p);
        Manifests.writeFile(conf, marker, claim);
        return;
      }
      Manifests.writeFile(conf, marker, claim);
      fs.delete(new Path(p, Manifests.FILE), false);
      fs.delete(new Path(p, "_SUCCESS"), false);
      List<Path> files = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
      while (it.hasNext()) {
        Path f = fs.makeQualified(it.next().getPath());
        if (!f.equals(marker)) {
          files.add(f);
        }
      }
      deleteFiles(fs, fs.makeQualified(p), files);
      for (FileStatus c : fs.listStatus(p)) {
        if (c.isDirectory()) {
          fs.delete(c.getPath(), true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
  }

  /**
   * Deletes these files under {@code base} a page at a time where the filesystem can (S3A: one
   * request per {@code fs.s3a.bulk.delete.page.size} objects, on Hadoop 3.4.1+: {@link Deletes}),
   * else one by one.
   */
  static void deleteFiles(FileSystem fs, Path base, List<Path> files) throws IOException {
    if (files.isEmpty()) {
      return;
    }
    Deletes.files(fs, base, files);
  }
}
