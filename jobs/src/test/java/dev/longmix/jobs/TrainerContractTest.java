package dev.longmix.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
}
