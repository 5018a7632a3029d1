package dev.longmix.jobs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.jobs.ExitCode;
import dev.longmix.jobs.Main;
import dev.longmix.jobs.PythonTools;
import dev.longmix.jobs.SmallRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code longmix export --format megatron} on a real run's packed output, checked by an independent
 * reader (tools/megatron_check.py over the Python package's memmap reader, written from
 * Megatron-LM's layout): every data token in row order, one sequence per span, documents where the
 * spans say.
 */
class ExportJobTest {
  @TempDir Path tmp;

  private static Main.Outcome export(String... extra) {
    List<String> a = new ArrayList<>(List.of("export", "--format", "megatron"));
    a.addAll(List.of(extra));
    a.addAll(List.of("--master", "local[2]", "--progress-interval", "0"));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
    int code = Main.run(a.toArray(String[]::new), out, out);
    return new Main.Outcome(code, buf.toString(StandardCharsets.UTF_8));
  }

  @Test
  void everyTokenInRowOrderOneSequencePerSpan() throws Exception {
    Path python = PythonTools.require("pyarrow", "numpy");
    Path packed = SmallRun.root().resolve("packed");
    for (String[] variant :
        List.of(new String[] {"--dtype", "auto"}, new String[] {"--dtype", "int32", "--partitions", "3"})) {
      Path out = tmp.resolve("megatron-" + variant[1]);
      List<String> a = new ArrayList<>(List.of("--input", packed.toString(), "--output", out.toString()));
      a.addAll(List.of(variant));
      Main.Outcome o = export(a.toArray(String[]::new));
      assertEquals(0, o.code(), o.output());
      String check =
          PythonTools.run(python, "megatron_check.py", 5, packed.toString(), out.toString());
      assertTrue(check.contains("\"ok\": true"), check);
      assertTrue(
          check.contains(variant[1].equals("auto") ? "\"dtype\": \"uint16\"" : "\"dtype\": \"int32\""),
          check);
      if (variant.length > 2) {
        assertTrue(check.contains("\"files\": 3"), check);
      }
    }
  }

  @Test
  void aFolderWithoutAPackManifestIsRefusedBeforeSpark() throws Exception {
    Path empty = tmp.resolve("not-packed");
    Files.createDirectories(empty);
    Main.Outcome o = export("--input", empty.toString(), "--output", tmp.resolve("x").toString());
    assertEquals(ExitCode.INVALID_SETTINGS, o.code(), o.output());
    assertTrue(o.output().contains("--input = '" + empty + "'"), o.output());
    assertTrue(o.output().contains("has no complete _manifest.json"), o.output());
  }

  @Test
  void aRowWhoseSpansDoNotTileItIsNamed() throws Exception {
    Path python = PythonTools.require("pyarrow");
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
            "r['spans'][0]['length'] -= 1",
            "print(r['row'])",
            "pq.write_table(pa.Table.from_pylist(rows, schema=t.schema), f)");
    PythonTools.Outcome w = PythonTools.exec(python, 2, "-c", corrupt, copy.toString());
    assertEquals(0, w.exit(), w.output());
    String row = w.output().strip();
    Main.Outcome o = export("--input", copy.toString(), "--output", tmp.resolve("bad").toString());
    assertEquals(ExitCode.FAILED, o.code(), o.output());
    assertTrue(
        o.output().contains("packed row " + row + ": its spans do not tile it"), o.output());
    assertTrue(!Files.exists(tmp.resolve("bad/_manifest.json")), "no manifest for a failed export");
  }
}
