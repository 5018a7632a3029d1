package dev.longmix.jobs.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longmix.common.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

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
      Optional<JsonNode> manifest = Manifests.read(conf, dir);
      if (manifest.isPresent()) {
        String old = manifest.get().path("fingerprint").asText("");
        boolean accepted = manifest.get().path("complete").asBoolean(false);
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
          || Manifests.read(conf, dir).isPresent()
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

  /** Deletes whatever is at {@code dir} and leaves the started-marker for this fingerprint. */
  public static void begin(Configuration conf, String dir, String fingerprint) {
    try {
      Path p = new Path(dir);
      FileSystem fs = p.getFileSystem(conf);
      if (fs.exists(p)) {
        fs.delete(p, true);
      }
      fs.mkdirs(p);
      Manifests.writeFile(conf, new Path(p, STARTED), java.util.Map.of("fingerprint", fingerprint));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir, e);
    }
  }
}
