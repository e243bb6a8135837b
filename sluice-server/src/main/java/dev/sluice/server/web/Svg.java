package dev.sluice.server.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Charts drawn on the server as inline SVG (no script, no external library): step lines over time
 * and horizontal bars. Every text is escaped here; templates embed the result unescaped.
 */
public final class Svg {
  private static final int WIDTH = 640;
  private static final int HEIGHT = 220;
  private static final int PAD_LEFT = 56;
  private static final int PAD_RIGHT = 12;
  private static final int PAD_TOP = 12;
  private static final int PAD_BOTTOM = 28;

  private Svg() {}

  /** A point: x in epoch milliseconds, y in the chart's unit. */
  public record Point(long x, double y) {}

  /** A named line; {@code cssClass} picks its colour in the style sheet. */
  public record Series(String label, String cssClass, List<Point> points) {
    public Series {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(cssClass, "cssClass");
      points = List.copyOf(points);
    }
  }

  /** Step lines over time, with the y axis from 0 to {@code yMax} (or the data's maximum). */
  public static String lines(String title, List<Series> series, double yMax, String yUnit) {
    long minX = Long.MAX_VALUE;
    long maxX = Long.MIN_VALUE;
    double maxY = yMax;
    for (Series s : series) {
      for (Point p : s.points()) {
        minX = Math.min(minX, p.x());
        maxX = Math.max(maxX, p.x());
        maxY = Math.max(maxY, p.y());
      }
    }
    StringBuilder svg = open(title);
    int plotW = WIDTH - PAD_LEFT - PAD_RIGHT;
    int plotH = HEIGHT - PAD_TOP - PAD_BOTTOM;
    axes(svg, plotW, plotH, maxY, yUnit);
    if (minX == Long.MAX_VALUE) {
      text(svg, PAD_LEFT + plotW / 2.0, PAD_TOP + plotH / 2.0, "middle", "no data yet");
      return svg.append("</svg>").toString();
    }
    long spanX = Math.max(1, maxX - minX);
    double top = maxY <= 0 ? 1 : maxY;
    int legendX = PAD_LEFT + 8;
    for (Series s : series) {
      StringBuilder path = new StringBuilder();
      double lastY = PAD_TOP + plotH;
      for (int i = 0; i < s.points().size(); i++) {
        Point p = s.points().get(i);
        double x = PAD_LEFT + plotW * (double) (p.x() - minX) / spanX;
        double y = PAD_TOP + plotH - plotH * (p.y() / top);
        if (i == 0) {
          path.append("M").append(num(x)).append(' ').append(num(y));
        } else {
          path.append(" H").append(num(x)).append(" V").append(num(y));
        }
        lastY = y;
      }
      path.append(" H").append(num(PAD_LEFT + plotW)).append(" V").append(num(lastY));
      svg.append("<path class=\"line ")
          .append(escape(s.cssClass()))
          .append("\" fill=\"none\" d=\"")
          .append(path)
          .append("\"/>");
      svg.append("<rect class=\"swatch ")
          .append(escape(s.cssClass()))
          .append("\" x=\"")
          .append(legendX)
          .append("\" y=\"")
          .append(PAD_TOP + 4)
          .append("\" width=\"10\" height=\"10\"/>");
      text(svg, legendX + 14, PAD_TOP + 13, "start", s.label());
      legendX += 24 + 8 * s.label().length();
    }
    text(svg, PAD_LEFT, HEIGHT - 8, "start", Fmt.time(java.time.Instant.ofEpochMilli(minX)));
    text(svg, WIDTH - PAD_RIGHT, HEIGHT - 8, "end", Fmt.time(java.time.Instant.ofEpochMilli(maxX)));
    return svg.append("</svg>").toString();
  }

  /** Horizontal bars, one per entry, labelled with the key and the count. */
  public static String bars(String title, Map<String, Long> counts) {
    int rowH = 24;
    int height = Math.max(1, counts.size()) * rowH + 8;
    long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(1);
    StringBuilder svg = new StringBuilder();
    svg.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" aria-label=\"")
        .append(escape(title))
        .append("\"><title>")
        .append(escape(title))
        .append("</title>");
    int row = 0;
    int labelW = 150;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      double y = 4 + row * rowH;
      double w = (WIDTH - labelW - 70) * (double) e.getValue() / Math.max(1, max);
      text(svg, labelW - 6, y + 16, "end", e.getKey().isEmpty() ? "(unknown)" : e.getKey());
      svg.append("<rect class=\"bar\" x=\"")
          .append(labelW)
          .append("\" y=\"")
          .append(num(y + 3))
          .append("\" width=\"")
          .append(num(Math.max(1, w)))
          .append("\" height=\"")
          .append(rowH - 6)
          .append("\"/>");
      text(svg, labelW + w + 6, y + 16, "start", Long.toString(e.getValue()));
      row++;
    }
    if (counts.isEmpty()) {
      text(svg, WIDTH / 2.0, 20, "middle", "no devices");
    }
    return svg.append("</svg>").toString();
  }

  private static StringBuilder open(String title) {
    StringBuilder svg = new StringBuilder();
    svg.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" aria-label=\"")
        .append(escape(title))
        .append("\"><title>")
        .append(escape(title))
        .append("</title>");
    return svg;
  }

  private static void axes(StringBuilder svg, int plotW, int plotH, double maxY, String unit) {
    svg.append("<path class=\"axis\" fill=\"none\" d=\"M")
        .append(PAD_LEFT)
        .append(' ')
        .append(PAD_TOP)
        .append(" V")
        .append(PAD_TOP + plotH)
        .append(" H")
        .append(PAD_LEFT + plotW)
        .append("\"/>");
    text(svg, PAD_LEFT - 6, PAD_TOP + 10, "end", label(maxY, unit));
    text(svg, PAD_LEFT - 6, PAD_TOP + plotH, "end", label(0, unit));
  }

  private static String label(double value, String unit) {
    String n =
        value == Math.rint(value)
            ? Long.toString((long) value)
            : String.format(Locale.ROOT, "%.1f", value);
    return n + unit;
  }

  private static void text(StringBuilder svg, double x, double y, String anchor, String text) {
    svg.append("<text x=\"")
        .append(num(x))
        .append("\" y=\"")
        .append(num(y))
        .append("\" text-anchor=\"")
        .append(anchor)
        .append("\">")
        .append(escape(text))
        .append("</text>");
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
