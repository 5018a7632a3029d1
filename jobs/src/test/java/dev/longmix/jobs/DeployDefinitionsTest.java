package dev.longmix.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.longmix.common.config.ConfigException;
import dev.longmix.jobs.cli.Option;
import dev.longmix.jobs.cli.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every command line in deploy/ (the definition and each generated platform file), with its
 * placeholders filled, is accepted by the job's own parser: a known command, known options, the
 * required ones present. New stages added to deploy/pipeline.json are checked automatically, and
 * one whose command the jar does not have fails here.
 */
class DeployDefinitionsTest {
  static final Path DEPLOY = TestData.repoRoot().resolve("deploy");
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode pipeline() throws IOException {
    return JSON.readTree(DEPLOY.resolve("pipeline.json").toFile());
  }

  static Map<String, String> placeholders(JsonNode p) {
    Map<String, String> m = new LinkedHashMap<>();
    p.path("placeholders").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  static List<String> substitute(List<String> args, Map<String, String> values) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      for (Map.Entry<String, String> e : values.entrySet()) {
        a = a.replace("${" + e.getKey() + "}", e.getValue());
      }
      out.add(a);
    }
    return out;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Parses one longmix command line (COMMAND --key value ...) as Main would. */
  static void assertAccepted(String where, List<String> args) {
    assertFalse(args.isEmpty(), where + ": empty command line");
    Main.Command c = Main.commands().get(args.get(0));
    if (c == null) {
      fail(
          where
              + ": unknown command '"
              + args.get(0)
              + "'; the job jar has "
              + Main.commands().keySet());
    }
    for (String a : args) {
      if (a.contains("${")) {
        fail(where + ": placeholder without a value in pipeline.json placeholders: " + a);
      }
    }
    try {
      Settings s = Settings.parse(c.spec(), args.subList(1, args.size()).toArray(String[]::new));
      for (Option o : c.spec().options()) {
        if (o.required()) {
          assertNotNull(s.string(o.key()));
        }
      }
    } catch (ConfigException e) {
      fail(where + ": rejected by longmix " + args.get(0) + ": " + e.getMessage());
    }
  }

  /** Every stage command line in every file under deploy/, keyed by where it came from. */
  static Map<String, List<String>> allCommandLines() throws IOException {
    JsonNode p = pipeline();
    String main = p.path("main_class").asText();
    Map<String, List<String>> lines = new LinkedHashMap<>();
    for (JsonNode s : p.path("stages")) {
      lines.put("pipeline.json stage " + s.path("name").asText(), strings(s.path("args")));
    }
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      for (Path f : files.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
        String rel = DEPLOY.relativize(f).toString();
        if (rel.equals("pipeline.json")) {
          continue;
        }
        JsonNode j = JSON.readTree(f.toFile());
        if (j.has("Steps")) {
          for (JsonNode step : j.path("Steps")) {
            List<String> a = strings(step.path("HadoopJarStep").path("Args"));
            int jar = a.indexOf("${JAR}");
            assertEquals("spark-submit", a.get(0), rel);
            assertEquals(main, a.get(a.indexOf("--class") + 1), rel);
            lines.put(rel + " " + step.path("Name").asText(), a.subList(jar + 1, a.size()));
          }
        } else if (j.has("jobDriver")) {
          lines.put(
              rel, strings(j.path("jobDriver").path("sparkSubmit").path("entryPointArguments")));
        } else if (j.has("sparkJob")) {
          assertEquals(main, j.path("sparkJob").path("mainClass").asText(), rel);
          lines.put(rel, strings(j.path("sparkJob").path("args")));
        } else if (j.has("sparkBatch")) {
          assertEquals(main, j.path("sparkBatch").path("mainClass").asText(), rel);
          lines.put(rel, strings(j.path("sparkBatch").path("args")));
        } else {
          fail(rel + ": a JSON file in deploy/ this test does not know how to read");
        }
      }
    }
    return lines;
  }

  @Test
  void everyDeployCommandLineIsAcceptedByTheJobsParser() throws IOException {
    Map<String, String> values = placeholders(pipeline());
    Map<String, List<String>> lines = allCommandLines();
    for (Map.Entry<String, List<String>> e : lines.entrySet()) {
      assertAccepted(e.getKey(), substitute(e.getValue(), values));
    }
    // 1 definition + 4 platform files per stage (EMR steps, EMR Serverless, Dataproc, Serverless).
    assertEquals(pipeline().path("stages").size() * 5, lines.size(), lines.keySet().toString());
  }

  @Test
  void unknownCommandsAndOptionsAreCaught() {
    try {
      assertAccepted("probe", List.of("no-such-stage", "--input", "x"));
      fail("an unknown command passed");
    } catch (AssertionError expected) {
      // what a stage the jar lacks does
    }
    try {
      assertAccepted("probe", List.of("tokenize", "--inptu", "x"));
      fail("an unknown option passed");
    } catch (AssertionError expected) {
      // a misspelt option is caught too
    }
  }

  @Test
  void generatedFilesAndTheAirflowDagAgreeWithTheDefinition() throws Exception {
    assumeTrue(python(), "python3 not on PATH: deploy/render.py --check and check_dag.py skipped");
    for (List<String> cmd :
        List.of(
            List.of("python3", "deploy/render.py", "--check"),
            List.of("python3", "deploy/check_dag.py"))) {
      Process p =
          new ProcessBuilder(cmd)
              .directory(TestData.repoRoot().toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
    }
  }

  static boolean python() {
    try {
      Process p = new ProcessBuilder("python3", "--version").start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
