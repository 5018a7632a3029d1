package dev.longmix.jobs.reliability;

import dev.longmix.jobs.TestData;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The shaded job jar run as a child JVM, exactly as {@code ./longmix} runs it (Spark's jars beside
 * it, the same --add-opens), so a test can kill it with SIGKILL and watch its peak RSS.
 */
final class ChildRun {
  static final Path ROOT = TestData.repoRoot();
  static final Path JAR = TestData.jobJar();
  static final Path SPARK_JARS = TestData.sparkJars();

  final Process process;
  final Path log;
  volatile long peakRssKb;
  private final Thread sampler;

  private ChildRun(Process p, Path log) {
    this.process = p;
    this.log = log;
    sampler =
        new Thread(
            () -> {
              Path status = Path.of("/proc", Long.toString(p.pid()), "status");
              while (p.isAlive()) {
                try {
                  for (String l : Files.readAllLines(status)) {
                    if (l.startsWith("VmHWM:")) {
                      peakRssKb = Math.max(peakRssKb, Long.parseLong(l.replaceAll("\\D", "")));
                    }
                  }
                  Thread.sleep(100);
                } catch (IOException | InterruptedException | RuntimeException e) {
                  return;
                }
              }
            });
    sampler.setDaemon(true);
    sampler.start();
  }

  static String opens() {
    return String.join(
            " ",
            Stream.of(
                    "java.lang",
                    "java.lang.invoke",
                    "java.lang.reflect",
                    "java.io",
                    "java.net",
                    "java.nio",
                    "java.util",
                    "java.util.concurrent",
                    "java.util.concurrent.atomic",
                    "jdk.internal.ref",
                    "sun.nio.ch",
                    "sun.nio.cs",
                    "sun.security.action",
                    "sun.util.calendar")
                .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
                .toList())
        + " -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true";
  }

  static ChildRun start(String xmx, List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + xmx);
    cmd.addAll(Arrays.asList(opens().split(" ")));
    cmd.add("-Dlog4j2.configurationFile=longmix-log4j2.properties");
    cmd.add("-cp");
    cmd.add(JAR + File.pathSeparator + SPARK_JARS + "/*");
    cmd.add("dev.longmix.jobs.Main");
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("RAYON_NUM_THREADS", "1");
    pb.environment().put("TOKENIZERS_PARALLELISM", "false");
    return new ChildRun(pb.start(), log);
  }

  int await(long minutes) throws Exception {
    if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("timed out after " + minutes + " min:\n" + output());
    }
    sampler.join(1000);
    return process.exitValue();
  }

  /** Waits until the condition holds (or the child exits), polling. */
  boolean waitFor(BooleanSupplier condition, long seconds) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end && process.isAlive()) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** SIGKILL (Process.destroyForcibly on Linux), like an OOM killer or a lost node. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
