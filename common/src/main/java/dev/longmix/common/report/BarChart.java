package dev.longmix.common.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A grouped horizontal bar chart of shares (0..1) as inline SVG: one group per category, one bar
 * per series, each bar labelled with its value, so the chart reads without scripts or fonts.
 */
final class BarChart {
  /** One series: a name, a fill colour and a value per category ({@code NaN} = not shown). */
  record Series(String name, String color, double[] values) {}

  static final int WIDTH = 1000;
  private static final int LABEL_W = 170;
  private static final int VALUE_W = 70;
  private static final int BAR_H = 12;
  private static final int GROUP_GAP = 10;
  private static final int TOP = 34;

  private final List<String> categories;
  private final List<Series> series = new ArrayList<>();

  BarChart(List<String> categories) {
    this.categories = List.copyOf(categories);
  }

  BarChart add(String name, String color, double[] values) {
    if (values.length != categories.size()) {
      throw new IllegalArgumentException(
          "series "
              + name
              + " has "
              + values.length
              + " values for "
              + categories.size()
              + " categories");
    }
    series.add(new Series(name, color, values.clone()));
    return this;
  }

  /** The chart as an {@code <svg>} element; {@code label} names it for screen readers. */
  String svg(String label) {
    double max = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        if (!Double.isNaN(v)) {
          max = Math.max(max, v);
        }
      }
    }
    double scale = niceMax(max);
    int plotW = WIDTH - LABEL_W - VALUE_W;
    int groupH = series.size() * BAR_H + GROUP_GAP;
    int height = TOP + categories.size() * groupH + 24;
    StringBuilder sb = new StringBuilder();
    sb.append(
        f(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n",
            WIDTH, height, WIDTH, height, Html.escape(label)));
    // Legend.
    int x = LABEL_W;
    for (Series s : series) {
      sb.append(
          f(
              "<rect class=\"legend\" x=\"%d\" y=\"8\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"18\" class=\"lg\">%s</text>%n",
              x, s.color(), x + 16, Html.escape(s.name())));
      x += 28 + 8 * s.name().length();
    }
    // Grid lines at quarters of the scale.
    for (int i = 0; i <= 4; i++) {
      double gx = LABEL_W + plotW * i / 4.0;
      sb.append(
          f(
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"grid\"/>"
                  + "<text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">%s</text>%n",
              gx, TOP - 4, gx, height - 20, gx, height - 6, tick(scale * i / 4.0)));
    }
    for (int c = 0; c < categories.size(); c++) {
      int gy = TOP + c * groupH;
      sb.append(
          f(
              "<text x=\"%d\" y=\"%d\" class=\"cat\" text-anchor=\"end\">%s</text>%n",
              LABEL_W - 8, gy + series.size() * BAR_H / 2 + 4, Html.escape(categories.get(c))));
      for (int i = 0; i < series.size(); i++) {
        Series s = series.get(i);
        double v = s.values()[c];
        if (Double.isNaN(v)) {
          continue;
        }
        double w = scale == 0 ? 0 : plotW * Math.max(0, v) / scale;
        int y = gy + i * BAR_H;
        sb.append(
            f(
                "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                    + "<title>%s, %s: %s</title></rect>"
                    + "<text x=\"%.1f\" y=\"%d\" class=\"val\">%s</text>%n",
                LABEL_W,
                y + 1,
                w,
                BAR_H - 2,
                s.color(),
                Html.escape(categories.get(c)),
                Html.escape(s.name()),
                Html.percent(v),
                LABEL_W + w + 4,
                y + BAR_H - 3,
                Html.percent(v)));
      }
    }
    sb.append("</svg>\n");
    return sb.toString();
  }

  /**
   * The smallest of 1, 2, 4, 6, 8 and 10 times a power of ten at or above {@code v}, so the quarter
   * ticks read 0.25, 0.5, 1, 1.5, 2 or 2.5 times that power.
   */
  static double niceMax(double v) {
    if (v <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 4, 6, 8, 10}) {
      if (m * p >= v * (1 - 1e-12)) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** An axis label: a percentage without trailing zeros ("12.5%", "50%"). */
  static String tick(double share) {
    String s = f("%.3f", 100 * share).replaceAll("0+$", "").replaceAll("\\.$", "");
    return s + "%";
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
