package dev.longmix.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * pytest {@code python/tests} (the longmix loader package) with {@code LONGMIX_PACKED} and {@code
 * LONGMIX_PACKED_BEST_FIT} set to outputs of the Java pipeline: the small run's documents packed
 * again into 512-token rows, by concat with a padded last row and by best-fit (padding at the end
 * of many rows), so that a tiny model runs whole documents in seconds and the loader meets padding.
 * The synthetic-output tests in the same run need no Java; this makes them hold for the pack
 * stage's real files too.
 */
class PythonPackageTest {
  static final int SEQ_LEN = 512;

  @Test
  void loaderTestsPassOnThePipelinesOutput() throws Exception {
    Path python =
        PythonTools.require("longmix", "pytest", "transformers", "torch", "pyarrow", "fsspec");
    Path packed = shortRows("packed", "concat");
    Path bestFit = shortRows("packed-best-fit", "best-fit");
    PythonTools.Outcome o =
        PythonTools.exec(
            Map.of(
                "LONGMIX_PACKED", packed.toString(), "LONGMIX_PACKED_BEST_FIT", bestFit.toString()),
            python,
            10,
            "-m",
            "pytest",
            "python/tests",
            "-v",
            "-rP", // the passing tests' prints: the loss figures
            "-p",
            "no:cacheprovider");
    System.out.println(o.output());
    assertEquals(0, o.exit(), o.output());
    for (String test :
        List.of(
            "test_every_row_yields_what_its_spans_say[java]",
            "test_two_ranks_two_workers_resume_with_other_worker_counts[java-1]",
            "test_two_ranks_two_workers_resume_with_other_worker_counts[java-3]",
            "test_a_row_whose_spans_do_not_tile_it_fails_naming_file_and_row[java]",
            "test_a_path_without_a_manifest_is_not_a_packed_output[java]",
            "test_masked_packed_loss_equals_the_documents_run_alone[sdpa-java]",
            "test_position_ids_alone_mask_the_documents_in_this_transformers[java]",
            "test_every_row_yields_what_its_spans_say[java_best_fit]",
            "test_padding_is_masked_in_every_padded_row[java_best_fit]",
            "test_two_ranks_two_workers_resume_with_other_worker_counts[java_best_fit-3]",
            "test_a_row_whose_spans_do_not_tile_it_fails_naming_file_and_row[java_best_fit]",
            "test_masked_packed_loss_equals_the_documents_run_alone[sdpa-java_best_fit]",
            "test_masked_packed_loss_equals_the_documents_run_alone[eager-java_best_fit]")) {
      assertTrue(o.output().contains(test + " PASSED"), test + " did not pass:\n" + o.output());
    }
  }

  /** The small run's tokenized documents, packed at {@link #SEQ_LEN} with the tail padded. */
  private static Path shortRows(String name, String packing) {
    Path root = SmallRun.root();
    Path out = TestData.buildDir().resolve("loader-run/" + name).toAbsolutePath();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code =
        Main.run(
            new String[] {
              "pack",
              "--input",
              root.resolve("tokenized").toString(),
              "--histogram",
              root.resolve("histogram").toString(),
              "--output",
              out.toString(),
              "--strategy",
              "per-source",
              "--budget-fraction",
              "0.1",
              "--seq-len",
              Integer.toString(SEQ_LEN),
              "--tail",
              "pad",
              "--packing",
              packing,
              "--master",
              "local[2]",
              "--progress-interval",
              "0"
            },
            log,
            log);
    assertEquals(0, code, buf.toString(StandardCharsets.UTF_8));
    return out;
  }
}
