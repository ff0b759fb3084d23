package dev.kiln.runtime.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a {@link History} as a PNG with plain {@code java.awt} (no plotting dependency): the top
 * panel is the loss of every step (faint) with its moving average (bold) and dashed lines at epoch
 * ends; the bottom panel, present when epochs were evaluated, shows each per-epoch figure other
 * than the training loss against the step at which its epoch ended. Both panels share the step axis.
 */
public final class LossCurve {
  private static final int WIDTH = 1000;
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int PANEL = 300;
  private static final int GAP = 70;
  private static final Color[] SERIES = {new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
      new Color(0xff7f0e), new Color(0x8c564b)};
  private static final Color LOSS = new Color(0x1f77b4);

  private LossCurve() {}

  /** Writes the chart to {@code png}; fails if the history holds no step. */
  public static void writePng(History history, Path png) throws IOException {
    double[] losses = history.stepLosses();
    if (losses.length == 0) {
      throw new IllegalArgumentException("no training steps recorded: nothing to plot");
    }
    List<String> figures = new ArrayList<>();
    for (var epoch : history.epochs()) {
      for (String name : epoch.keySet()) {
        if (!name.equals("train_loss") && !figures.contains(name)) {
          figures.add(name);
        }
      }
    }
    int height = TOP + PANEL + 60 + (figures.isEmpty() ? 0 : GAP + PANEL);
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString("Training loss (" + losses.length + " steps, " + history.epochs().size() + " epochs)", LEFT, 30);

      double xMax = Math.max(1, losses.length);
      Axis x = new Axis(0, xMax);
      Axis y = Axis.fit(finite(losses));
      int top = TOP;
      frame(g, x, y, top, "step", "loss");
      epochLines(g, history, x, top);
      g.setClip(LEFT, top, plotWidth(), PANEL);
      g.setColor(new Color(LOSS.getRed(), LOSS.getGreen(), LOSS.getBlue(), 70));
      g.setStroke(new BasicStroke(1f));
      g.draw(line(losses, 1, x, y, top));
      g.setColor(LOSS);
      g.setStroke(new BasicStroke(2.2f));
      g.draw(line(movingAverage(losses, Math.max(1, losses.length / 50)), 1, x, y, top));
      g.setClip(null);
      legend(g, List.of("step loss", "moving average"), List.of(LOSS.brighter(), LOSS), top);

      if (!figures.isEmpty()) {
        int top2 = TOP + PANEL + GAP;
        List<double[]> values = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        for (String name : figures) {
          double[] v = history.epochFigure(name);
          values.add(v);
          for (double d : v) {
            if (Double.isFinite(d)) {
              all.add(d);
            }
          }
        }
        Axis y2 = Axis.fit(all.stream().mapToDouble(Double::doubleValue).toArray());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("Per-epoch evaluation", LEFT, top2 - 12);
        frame(g, x, y2, top2, "step", "value");
        epochLines(g, history, x, top2);
        List<Color> colors = new ArrayList<>();
        for (int i = 0; i < figures.size(); i++) {
          Color c = SERIES[i % SERIES.length];
          colors.add(c);
          double[] steps = history.epochEndSteps().stream().mapToDouble(Integer::doubleValue).toArray();
          g.setColor(c);
          g.setStroke(new BasicStroke(2f));
          Path2D.Double path = new Path2D.Double();
          boolean started = false;
          for (int e = 0; e < steps.length; e++) {
            double v = values.get(i)[e];
            if (!Double.isFinite(v)) {
              continue;
            }
            double px = x.toPixel(steps[e], LEFT, LEFT + plotWidth());
            double py = y2.toPixel(v, top2 + PANEL, top2);
            if (started) {
              path.lineTo(px, py);
            } else {
              path.moveTo(px, py);
              started = true;
            }
            g.fillOval((int) px - 4, (int) py - 4, 8, 8);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(Axis.label(v), (int) px - 30, (int) py - 8);
          }
          g.draw(path);
        }
        legend(g, figures, colors, top2);
      }
    } finally {
      g.dispose();
    }
    Path parent = png.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    if (!ImageIO.write(image, "png", png.toFile())) {
      throw new IOException("no PNG writer available to write " + png);
    }
  }

  private static int plotWidth() {
    return WIDTH - LEFT - RIGHT;
  }

  /** Panel border, grid lines, tick labels and axis titles. */
  private static void frame(Graphics2D g, Axis x, Axis y, int top, String xTitle, String yTitle) {
    int left = LEFT;
    int right = LEFT + plotWidth();
    int bottom = top + PANEL;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    Stroke grid = new BasicStroke(1f);
    for (double t : y.ticks()) {
      int py = (int) Math.round(y.toPixel(t, bottom, top));
      g.setColor(new Color(0xe6e6e6));
      g.setStroke(grid);
      g.drawLine(left, py, right, py);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(left - 5, py, left, py);
      String s = Axis.label(t);
      g.drawString(s, left - 8 - fm.stringWidth(s), py + fm.getAscent() / 2 - 1);
    }
    for (double t : x.ticks()) {
      int px = (int) Math.round(x.toPixel(t, left, right));
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(px, top, px, bottom);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(px, bottom, px, bottom + 5);
      String s = Axis.label(t);
      g.drawString(s, px - fm.stringWidth(s) / 2, bottom + 8 + fm.getAscent());
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1.2f));
    g.drawRect(left, top, right - left, PANEL);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    fm = g.getFontMetrics();
    g.drawString(xTitle, (left + right - fm.stringWidth(xTitle)) / 2, bottom + 40);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(yTitle, -(top + PANEL / 2 + fm.stringWidth(yTitle) / 2), 20);
    g.setTransform(saved);
  }

  private static void epochLines(Graphics2D g, History history, Axis x, int top) {
    g.setColor(new Color(0x999999));
    g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    List<Integer> ends = history.epochEndSteps();
    for (int e = 0; e < ends.size(); e++) {
      int px = (int) Math.round(x.toPixel(ends.get(e), LEFT, LEFT + plotWidth()));
      g.drawLine(px, top, px, top + PANEL);
      g.drawString("epoch " + (e + 1), px - 48, top + 14);
    }
  }

  private static void legend(Graphics2D g, List<String> names, List<Color> colors, int top) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    int w = 0;
    for (String n : names) {
      w = Math.max(w, fm.stringWidth(n));
    }
    int boxW = w + 40;
    int boxH = names.size() * 18 + 8;
    int bx = LEFT + plotWidth() - boxW - 10;
    int by = top + 22;
    g.setColor(new Color(255, 255, 255, 230));
    g.fillRect(bx, by, boxW, boxH);
    g.setColor(Color.LIGHT_GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(bx, by, boxW, boxH);
    for (int i = 0; i < names.size(); i++) {
      int yy = by + 16 + i * 18;
      g.setColor(colors.get(i));
      g.setStroke(new BasicStroke(2.5f));
      g.drawLine(bx + 6, yy - 4, bx + 26, yy - 4);
      g.setColor(Color.BLACK);
      g.drawString(names.get(i), bx + 32, yy);
    }
  }

  /** A polyline of {@code values[i]} at x = (i + xOffset), skipping non-finite values. */
  private static Path2D line(double[] values, double xOffset, Axis x, Axis y, int top) {
    Path2D.Double path = new Path2D.Double();
    boolean started = false;
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        started = false;
        continue;
      }
      double px = x.toPixel(i + xOffset, LEFT, LEFT + plotWidth());
      double py = y.toPixel(values[i], top + PANEL, top);
      if (started) {
        path.lineTo(px, py);
      } else {
        path.moveTo(px, py);
        started = true;
      }
    }
    return path;
  }

  private static double[] movingAverage(double[] v, int window) {
    double[] out = new double[v.length];
    double sum = 0;
    int count = 0;
    for (int i = 0; i < v.length; i++) {
      if (Double.isFinite(v[i])) {
        sum += v[i];
        count++;
      }
      if (i >= window && Double.isFinite(v[i - window])) {
        sum -= v[i - window];
        count--;
      }
      out[i] = count > 0 ? sum / count : Double.NaN;
    }
    return out;
  }

  private static double[] finite(double[] v) {
    return Arrays.stream(v).filter(Double::isFinite).toArray();
  }

  /** A linear axis over [min, max] with "nice" ticks (1, 2 or 5 times a power of ten). */
  private record Axis(double min, double max) {
    static Axis fit(double[] values) {
      if (values.length == 0) {
        return new Axis(0, 1);
      }
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double v : values) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (hi - lo < 1e-12) {
        double pad = Math.max(Math.abs(hi) * 0.1, 1e-3);
        return new Axis(lo - pad, hi + pad);
      }
      double step = niceStep((hi - lo) / 5);
      double min = Math.floor(lo / step) * step;
      if (lo >= 0 && min < 0) {
        min = 0;
      }
      return new Axis(min, Math.ceil(hi / step) * step);
    }

    static double niceStep(double raw) {
      double power = Math.pow(10, Math.floor(Math.log10(raw)));
      double f = raw / power;
      return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
    }

    double[] ticks() {
      double step = niceStep((max - min) / 6);
      List<Double> t = new ArrayList<>();
      for (double v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
        t.add(Math.abs(v) < step * 1e-9 ? 0 : v);
      }
      return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    double toPixel(double v, double from, double to) {
      return from + (v - min) / (max - min) * (to - from);
    }

    static String label(double v) {
      if (v == Math.rint(v) && Math.abs(v) < 1e9) {
        return String.format(Locale.ROOT, "%,d", (long) v);
      }
      double a = Math.abs(v);
      String s = String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 1 ? "%.2f" : a >= 0.01 ? "%.3f" : "%.2e", v);
      return s.contains(".") && !s.contains("e") ? s.replaceAll("\\.?0+$", "") : s;
    }
  }
}
