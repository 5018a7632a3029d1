package dev.longmix.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tools/trainer_contract.py on the packed output of a real local run. */
class TrainerContractTest {
  @Test
  void packedOutputMeetsTheTrainerContract() throws Exception {
    Path python = PythonTools.require("datasets", "duckdb", "torch");
    Path packed = SmallRun.root().resolve("packed");
    String out =
        PythonTools.run(
            python, "trainer_contract.py", 5, packed.toString(), SmallRun.tokenizer().toString());
    assertTrue(out.contains("BOS 1 appears exactly at the"), out);
    assertTrue(out.contains("block-diagonal causal mask"), out);
    assertTrue(out.endsWith("trainer contract holds\n"), out);
  }

  /** The same contract on a best-fit packing of the same run, rows of 4,096 with padding. */
  @Test
  void bestFitOutputMeetsTheTrainerContract(@TempDir Path tmp) throws Exception {
    Path python = PythonTools.require("datasets", "duckdb", "torch");
    Path root = SmallRun.root();
    Path packed = tmp.resolve("best-fit");
    int code =
        Main.run(
            new String[] {
              "pack",
              "--input",
              root.resolve("tokenized").toString(),
              "--histogram",
              root.resolve("histogram").toString(),
              "--output",
              packed.toString(),
              "--strategy",
              "per-source",
              "--budget-fraction",
              "0.3",
              "--infeasible",
              "fill-short",
              "--seq-len",
              "4096",
              "--packing",
              "best-fit",
              "--tail",
              "pad",
              "--pad-id",
              "0",
              "--master",
              "local[2]",
              "--progress-interval",
              "0"
            },
            System.out,
            System.err);
    assertEquals(0, code);
    String out =
        PythonTools.run(
            python, "trainer_contract.py", 5, packed.toString(), SmallRun.tokenizer().toString());
    assertTrue(out.contains("best-fit: only items longer than a row are cut"), out);
    assertTrue(out.contains("BOS 1 appears exactly at the"), out);
    assertTrue(out.endsWith("trainer contract holds\n"), out);
  }

  /** The same check on a copy with one stray BOS inside a document must fail, naming the row. */
  @Test
  void strayBosBreaksTheContract(@TempDir Path tmp) throws Exception {
    Path python = PythonTools.require("datasets", "duckdb", "torch", "pyarrow");
    Path packed = SmallRun.root().resolve("packed");
    Path copy = tmp.resolve("packed");
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(packed)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    String corrupt =
        String.join(
            "\n",
            "import glob, sys, pyarrow as pa, pyarrow.parquet as pq",
            "f = sorted(glob.glob(sys.argv[1] + '/*.parquet'))[0]",
            "t = pq.read_table(f)",
            "rows = t.to_pylist()",
            "r = min(rows, key=lambda r: r['row'])",
            "s = r['spans'][0]",
            "r['input_ids'][s['start'] + s['length'] // 2] = 1",
            "pq.write_table(pa.Table.from_pylist(rows, schema=t.schema), f)");
    PythonTools.Outcome w = PythonTools.exec(python, 2, "-c", corrupt, copy.toString());
    assertEquals(0, w.exit(), w.output());
    PythonTools.Outcome o =
        PythonTools.exec(
            python,
            5,
            "tools/trainer_contract.py",
            copy.toString(),
            SmallRun.tokenizer().toString());
    assertEquals(1, o.exit(), o.output());
    assertTrue(o.output().contains("FAIL row 0: BOS at"), o.output());
  }
}
