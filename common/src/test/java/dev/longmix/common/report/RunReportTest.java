package dev.longmix.common.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.histogram.LengthBins;
import dev.longmix.common.histogram.LengthHistogram;
import dev.longmix.common.pack.PackOutcome;
import dev.longmix.common.pack.PackTally;
import dev.longmix.common.pack.PackingConfig;
import dev.longmix.common.pack.RowLayout;
import dev.longmix.common.pack.TailPolicy;
import dev.longmix.common.plan.MixturePlanner;
import dev.longmix.common.plan.Plan;
import dev.longmix.common.plan.PlanConfig;
import dev.longmix.common.plan.Strategy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class RunReportTest {
  private static final String EVIL = "<b>&\"x'</b>";

  /** 3 documents in "web", 2 in a domain whose name needs escaping; long threshold 4,096. */
  static LengthHistogram corpus() {
    LengthHistogram h = LengthHistogram.fig2();
    h.add("web", 500).add("web", 1500).add("web", 10_000);
    h.add(EVIL, 200_000).add(EVIL, 100);
    return h;
  }

  /**
   * The corpus packed per-source into 2 rows of 81,920 (163,840 tokens; web's target share is
   * 12,000/212,100 = 5.66%), with a tally whose web items hold 9,500 tokens (5.80%, +0.14 pt) and
   * whose other items are one second copy of the 200,000-token document (154,340 tokens).
   */
  static PackOutcome pack() {
    return outcome(9_000, 500, 154_340);
  }

  /** The plan above with web's long, web's short and the other domain's long items as given. */
  static PackOutcome outcome(long webLong, long webShort, long evilLong) {
    Plan plan =
        MixturePlanner.plan(corpus(), PlanConfig.builder(Strategy.PER_SOURCE, 163_840).build());
    PackingConfig packing = new PackingConfig(81_920, TailPolicy.DROP, 0);
    PackTally t = new PackTally();
    t.add("web", 0, webLong, 10_000, true);
    t.add("web", 0, webShort, 500, false);
    t.add(EVIL, 1, evilLong, 200_000, true);
    return new PackOutcome(
        plan, corpus(), packing, t, RowLayout.concat(packing, 163_840, 0, 4), "abc");
  }

  static Document parse(String html) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  static Map<String, String> facts() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("input", "/data/<corpus>");
    return m;
  }

  @Test
  void fullReportIsWellFormedAndHasEverySection() throws Exception {
    String html = RunReport.render("t", facts(), CorpusSummary.of(corpus()), pack());
    Document doc = parse(html);
    List<String> headings = texts(doc.getElementsByTagNameNS("*", "h2"));
    assertEquals(
        List.of(
            "Summary",
            "Rows and tokens",
            "Repetition and tail",
            "Domain mix",
            "Length distribution (token-weighted, Fig. 2 bins)",
            "Long-document share per domain"),
        headings);
    assertEquals(3, doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg").getLength());
    // Domain mix: 2 domains × 4 series; lengths: 9 bins × 3; long: 3 rows × 3; plus legends.
    int bars = 0;
    NodeList rects = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
    for (int i = 0; i < rects.getLength(); i++) {
      if ("bar".equals(rects.item(i).getAttributes().getNamedItem("class").getNodeValue())) {
        bars++;
      }
    }
    assertEquals(2 * 4 + 9 * 3 + 3 * 3, bars);
    assertFalse(html.contains("<script"), "no scripts");
    String noNamespaces = html.replace("http://www.w3.org/", "");
    assertFalse(noNamespaces.contains("http"), "nothing fetched");
    assertFalse(html.contains("src=") || html.contains("href=") || html.contains("url("));
  }

  @Test
  void numbersArePresent() {
    String html = RunReport.render("t", facts(), CorpusSummary.of(corpus()), pack());
    // corpus: 212,100 tokens in 5 documents; web is 12,000 of them.
    assertTrue(html.contains("212,100"), "corpus tokens");
    assertTrue(html.contains(">5<"), "corpus documents");
    assertTrue(html.contains("5.66%"), "web's corpus share 12,000/212,100");
    assertTrue(html.contains("5.80%"), "achieved share of web, 9,500/163,840");
    assertTrue(html.contains("+0.14 pt"), "achieved − planned for web");
    assertTrue(html.contains("163,840"), "output tokens");
    assertTrue(html.contains("0.04"), "batches of 4M: 163,840 / 4,000,000");
    assertTrue(html.contains("154,340"), "repeated tokens");
    assertTrue(html.contains("&gt;128K"), "last Fig. 2 bin, escaped");
    assertTrue(html.contains("48.8 rows"), "4M / 81,920");
  }

  @Test
  void domainNamesAndFactsAreEscaped() throws Exception {
    String html = RunReport.render("a <title>", facts(), CorpusSummary.of(corpus()), pack());
    assertFalse(html.contains(EVIL));
    assertTrue(html.contains("&lt;b&gt;&amp;&quot;x&#39;&lt;/b&gt;"));
    assertTrue(html.contains("/data/&lt;corpus&gt;"));
    Document doc = parse(html);
    assertTrue(texts(doc.getElementsByTagNameNS("*", "td")).contains(EVIL), "round-trips");
    assertEquals("a <title>", doc.getElementsByTagNameNS("*", "h1").item(0).getTextContent());
  }

  @Test
  void corpusOnlyReportHasNoPackSections() throws Exception {
    String html = RunReport.render("t", facts(), CorpusSummary.of(corpus()), null);
    Document doc = parse(html);
    List<String> headings = texts(doc.getElementsByTagNameNS("*", "h2"));
    assertEquals(4, headings.size(), headings.toString());
    assertFalse(html.contains("achieved"));
    assertTrue(html.contains("94.30%"), "escaped domain's share 200,100/212,100");
  }

  @Test
  void controlCharactersDoNotBreakTheDocument() throws Exception {
    LengthHistogram h = LengthHistogram.fig2();
    h.add("bad\u0001name", 10);
    parse(RunReport.render("t", Map.of(), CorpusSummary.of(h), null));
  }

  @Test
  void mismatchedBinsAreRefused() {
    LengthHistogram h = new LengthHistogram(LengthBins.logSpaced(1, 4), 4096);
    h.add("web", 10);
    assertThrows(
        IllegalArgumentException.class,
        () -> RunReport.render("t", Map.of(), CorpusSummary.of(h), pack()));
  }

  @Test
  void differencesDoNotShowNegativeZero() {
    // Web's plan is 163,840·12,000/212,100 = 9,269.7 tokens: 9,269 is 0.0004 points below it.
    PackOutcome q = outcome(8_769, 500, 154_571);
    double diff = q.domains().get(1).achievedShare() - q.domains().get(1).plannedShare();
    assertTrue(diff < 0 && diff > -1e-5, "web sits a hair below its plan: " + diff);
    String html = RunReport.render("t", Map.of(), CorpusSummary.of(corpus()), q);
    assertFalse(html.contains("-0.00 pt"));
    assertTrue(html.contains("+0.00 pt"));
  }

  @Test
  void axisTicks() {
    assertEquals("12.5%", BarChart.tick(0.125));
    assertEquals("50%", BarChart.tick(0.5));
    assertEquals("0%", BarChart.tick(0));
    assertEquals("1.875%", BarChart.tick(0.01875));
  }

  @Test
  void niceScale() {
    assertEquals(1.0, BarChart.niceMax(0));
    assertEquals(0.6, BarChart.niceMax(0.42), 1e-12);
    assertEquals(0.06, BarChart.niceMax(0.06), 1e-12);
    assertEquals(1.0, BarChart.niceMax(1.0), 1e-12);
    assertEquals(0.4, BarChart.niceMax(0.2001), 1e-12);
  }

  private static List<String> texts(NodeList nodes) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent());
    }
    return out;
  }
}
