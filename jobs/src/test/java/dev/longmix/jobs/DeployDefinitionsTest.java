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

  static JsonNode fieldNames(JsonNode object) {
    com.fasterxml.jackson.databind.node.ArrayNode a = JSON.createArrayNode();
    object.fieldNames().forEachRemaining(a::add);
    return a;
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
          assertEquals(
              p.path("lines").path(line(rel)).path("dataproc_serverless_runtime").asText(),
              j.path("runtimeConfig").path("version").asText(),
              rel + ": the runtime of its Spark line");
          lines.put(rel, strings(j.path("sparkBatch").path("args")));
        } else if (j.path("kind").asText().equals("SparkApplication")) {
          JsonNode spec = j.path("spec");
          assertEquals(main, spec.path("mainClass").asText(), rel);
          String version = p.path("lines").path(line(rel)).path("spark_version").asText();
          assertEquals(version, spec.path("sparkVersion").asText(), rel);
          assertEquals("${SPARK_IMAGE}:" + version, spec.path("image").asText(), rel);
          assertEquals("${JAR}", spec.path("mainApplicationFile").asText(), rel);
          lines.put(rel, strings(spec.path("arguments")));
        } else if (j.has("ReleaseLabel") || j.has("releaseLabel") || j.has("config")) {
          // A cluster or application of one Spark line: no command line, its release is checked.
          JsonNode l = p.path("lines").path(line(rel));
          String release =
              j.has("ReleaseLabel")
                  ? j.path("ReleaseLabel").asText()
                  : j.has("releaseLabel")
                      ? j.path("releaseLabel").asText()
                      : j.path("config").path("softwareConfig").path("imageVersion").asText();
          String want =
              rel.startsWith("emr/")
                  ? l.path("emr_release").asText()
                  : rel.startsWith("emr-serverless/")
                      ? l.path("emr_serverless_release").asText()
                      : l.path("dataproc_image").asText();
          assertFalse(want.isEmpty(), rel + ": no release for its line in pipeline.json");
          assertEquals(want, release, rel);
        } else {
          fail(rel + ": a JSON file in deploy/ this test does not know how to read");
        }
      }
    }
    return lines;
  }

  /** The Spark line a generated file is for, from its name: spark3.5/... or ...-spark3.5.json. */
  static String line(String rel) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("spark(\\d+\\.\\d+)").matcher(rel);
    if (!m.find()) {
      fail(rel + ": a line-specific file whose name does not say its Spark line");
    }
    return m.group(1);
  }

  @Test
  void everyDeployCommandLineIsAcceptedByTheJobsParser() throws IOException {
    Map<String, String> values = placeholders(pipeline());
    Map<String, List<String>> lines = allCommandLines();
    for (Map.Entry<String, List<String>> e : lines.entrySet()) {
      assertAccepted(e.getKey(), substitute(e.getValue(), values));
    }
    // Per stage: the definition, EMR steps, EMR Serverless, Dataproc, and per Spark line a
    // Dataproc Serverless batch and a Kubernetes SparkApplication.
    int perStage = 4 + 2 * pipeline().path("lines").size();
    assertEquals(
        pipeline().path("stages").size() * perStage, lines.size(), lines.keySet().toString());
    assertEquals(List.of("4.0", "3.5"), strings(fieldNames(pipeline().path("lines"))));
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
