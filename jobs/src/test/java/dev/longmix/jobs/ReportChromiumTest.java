package dev.longmix.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the report pages of a real local run in headless Chromium: a screenshot for people (kept
 * in {@code jobs/target/report-screenshots/}) and the rendered DOM for the assertions.
 */
class ReportChromiumTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path SHOTS = TestData.buildDir().resolve("report-screenshots");

  @TempDir static Path profile;
  static Path root;

  @BeforeAll
  static void run() {
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "needs " + CHROMIUM + " for the headless render: bash scripts/install-chromium.sh");
    root = SmallRun.root();
  }

  @Test
  void packedReportRendersEveryChart() throws Exception {
    Path page = root.resolve("packed/_report.html");
    String dom = render(page, "packed-report.png");
    for (String h :
        List.of(
            "Domain mix",
            "Length distribution",
            "Long-document share per domain",
            "Repetition and tail",
            "Rows and tokens")) {
      assertTrue(dom.contains(h), "heading " + h);
    }
    assertEquals(3, count(dom, "<svg "), "charts");
    // 4 series per domain, 3 per length bin (9 bins) and per long-share row.
    assertTrue(
        count(dom, "class=\"bar\"") >= 7 * 4 + 9 * 3, "bars: " + count(dom, "class=\"bar\""));
    assertTrue(dom.contains("RedPajamaCommonCrawl"), "domain names rendered");
  }

  @Test
  void histogramReportRendersTheCorpusHalf() throws Exception {
    String dom = render(root.resolve("histogram/report.html"), "histogram-report.png");
    assertEquals(3, count(dom, "<svg "), "charts");
    assertTrue(count(dom, "class=\"bar\"") >= 9, "bars");
    assertTrue(!dom.contains("Repetition and tail"), "no pack sections in the corpus page");
  }

  /** Screenshot into SHOTS/png (checked to be a 1200×2400 PNG), then the DOM Chromium built. */
  static String render(Path page, String png) throws Exception {
    assertTrue(Files.isRegularFile(page), page + " exists");
    Files.createDirectories(SHOTS);
    Path shot = SHOTS.resolve(png);
    Files.deleteIfExists(shot);
    chromium(page, "--screenshot=" + shot, "--window-size=1200,2400");
    byte[] bytes = Files.readAllBytes(shot);
    assertTrue(bytes.length > 10_000, "screenshot of " + bytes.length + " bytes");
    ByteBuffer b = ByteBuffer.wrap(bytes);
    assertEquals(0x89504E47, b.getInt(0), "PNG signature");
    assertEquals(1200, b.getInt(16), "width");
    assertEquals(2400, b.getInt(20), "height");
    return chromium(page, "--dump-dom");
  }

  static String chromium(Path page, String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    cmd.add(page.toUri().toString());
    Path log = Files.createTempFile(profile, "chromium", ".log");
    Path stdout = Files.createTempFile(profile, "chromium", ".out");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(log.toFile()).start();
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("chromium timed out: " + cmd + "\n" + Files.readString(log));
    }
    assertEquals(0, p.exitValue(), cmd + "\n" + Files.readString(log));
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  static int count(String s, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
