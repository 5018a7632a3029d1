package dev.longmix.common.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longmix.common.histogram.LengthHistogram;
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

  static PackSummary pack() {
    double[] plannedBins = new double[9];
    plannedBins[0] = 0.25;
    plannedBins[4] = 0.25;
    plannedBins[8] = 0.5;
    long[] achievedBins = new long[9];
    achievedBins[0] = 40_960;
    achievedBins[4] = 40_960;
    achievedBins[8] = 81_920;
    return new PackSummary(
        "PER_SOURCE",
        81_920,
        4_000_000,
        163_840,
        163_840,
        2,
        "drop",
        0,
        0,
        17,
        3,
        12_345,
        2,
        81_000,
        1.25,
        0.75,
        0.7500,
        List.of(
            new PackSummary.Domain("web", 0.6, 0.61, 0.6123, 100_319, 0.5, 0.5, 0.4, 0.1, 0.1),
            new PackSummary.Domain(EVIL, 0.4, 0.39, 0.3877, 63_521, 0.97, 0.95, 0.97, 0.1, 0.2)),
        plannedBins,
        achievedBins);
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
    assertTrue(html.contains("61.23%"), "achieved share of web");
    assertTrue(html.contains("+0.23 pt"), "achieved − planned for web");
    assertTrue(html.contains("163,840"), "output tokens");
    assertTrue(html.contains("0.04"), "batches of 4M: 163,840 / 4,000,000");
    assertTrue(html.contains("12,345"), "repeated tokens");
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
    LengthHistogram h = LengthHistogram.fig2();
    h.add("web", 10);
    PackSummary p = pack();
    PackSummary bad =
        new PackSummary(
            p.strategy(),
            p.seqLen(),
            p.batchTokens(),
            p.budgetTokens(),
            p.selectedTokens(),
            p.rows(),
            p.tail(),
            0,
            0,
            1,
            0,
            0,
            0,
            1,
            0,
            0,
            0,
            p.domains(),
            new double[3],
            new long[3]);
    assertThrows(
        IllegalArgumentException.class,
        () -> RunReport.render("t", Map.of(), CorpusSummary.of(h), bad));
  }

  @Test
  void differencesDoNotShowNegativeZero() {
    PackSummary p = pack();
    List<PackSummary.Domain> ds =
        List.of(new PackSummary.Domain("web", 0.6, 0.6, 0.59999, 1, 0.5, 0.5, 0.5, 0.1, 0.1));
    PackSummary q =
        new PackSummary(
            p.strategy(),
            p.seqLen(),
            p.batchTokens(),
            p.budgetTokens(),
            p.selectedTokens(),
            p.rows(),
            p.tail(),
            0,
            0,
            1,
            0,
            0,
            0,
            1,
            0,
            0,
            0,
            ds,
            p.plannedBinShares(),
            p.achievedBinTokens());
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
