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
 * The Python scorer ({@code python -m longmix.eval}) on an evalset the Java stage wrote: {@code
 * longmix evalset} over the small run's tokenized data (the whole of it is the pool; a 3 x 3 needle
 * grid up to 1,024 tokens, 2,048 tokens per cell, documents cut at 1,024 tokens), then {@code
 * python/tests/test_eval_java.py} with {@code LONGMIX_EVALSET} set: the contract's checks, the
 * needle rows against the Python tokenizers library, and loss and needle end to end on a tiny
 * random Llama with the evalset tokenizer's vocabulary.
 */
class EvalsetPythonTest {
  @Test
  void theScorerReadsAndScoresTheJavaEvalset() throws Exception {
    Path python =
        PythonTools.require(
            "longmix", "pytest", "transformers", "torch", "pyarrow", "fsspec", "tokenizers");
    Path root = SmallRun.root();
    Path eval = TestData.buildDir().resolve("evalset-python/evalset").toAbsolutePath();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code =
        Main.run(
            new String[] {
              "evalset",
              "--input",
              root.resolve("tokenized").toString(),
              "--output",
              eval.toString(),
              "--tokens-per-cell",
              "2048",
              "--max-doc-tokens",
              "1024",
              "--context-lengths",
              "256,512,1024",
              "--depths",
              "0,50,100",
              "--master",
              "local[2]",
              "--progress-interval",
              "0"
            },
            log,
            log);
    assertEquals(0, code, buf.toString(StandardCharsets.UTF_8));
    PythonTools.Outcome o =
        PythonTools.exec(
            Map.of(
                "LONGMIX_EVALSET",
                eval.toString(),
                "LONGMIX_EVALSET_TOKENIZER",
                SmallRun.tokenizer().toAbsolutePath().toString()),
            python,
            10,
            "-m",
            "pytest",
            "python/tests/test_eval_java.py",
            "-v",
            "-p",
            "no:cacheprovider");
    System.out.println(o.output());
    assertEquals(0, o.exit(), o.output());
    for (String test :
        List.of(
            "test_the_java_evalset_meets_the_scorers_contract",
            "test_needle_rows_agree_with_the_python_tokenizer",
            "test_loss_end_to_end_on_the_java_evalset",
            "test_needle_end_to_end_on_the_java_evalset")) {
      assertTrue(o.output().contains(test + " PASSED"), test + " did not pass:\n" + o.output());
    }
  }
}
