package dev.kiln.runtime.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How often each true class was predicted as each class: the count behind {@link Metrics#accuracy}
 * split by class, which shows what a model confuses (shirts for T-shirts, say) where one accuracy
 * figure cannot. Rows are true classes and columns predicted classes, so the diagonal holds the
 * correct predictions. {@link #writePng} draws it as a heat map in the style of {@link LossCurve}.
 */
public final class ConfusionMatrix {
  private static final int CELL = 64;
  private static final int MARGIN = 24;
  private static final int TITLE_HEIGHT = 74;
  private static final int BAR_WIDTH = 18;
  /** Light to dark blue, after matplotlib's "Blues", at shares 0, 1/4, 1/2, 3/4 and 1. */
  private static final Color[] SHADES = {new Color(0xf7fbff), new Color(0xc6dbef), new Color(0x6baed6),
      new Color(0x2171b5), new Color(0x08306b)};

  private final long[][] counts;
  private final long total;
  private final long correct;

  private ConfusionMatrix(long[][] counts) {
    this.counts = counts;
    long all = 0;
    long diagonal = 0;
    for (int t = 0; t < counts.length; t++) {
      diagonal += counts[t][t];
      for (long c : counts[t]) {
        all += c;
      }
    }
    this.total = all;
    this.correct = diagonal;
  }

  /**
   * Counts each example's true class (from {@code labels}, class ids {@code [N]}) against its
   * predicted class, the argmax of its row of {@code logitsOrProbabilities} ({@code [N, K]}).
   */
  public static ConfusionMatrix of(INDArray logitsOrProbabilities, INDArray labels) {
    if (logitsOrProbabilities.rank() != 2 || labels.length() != logitsOrProbabilities.size(0)) {
      throw new IllegalArgumentException("a confusion matrix needs outputs [N, classes] and class ids [N], found "
          + Arrays.toString(logitsOrProbabilities.shape()) + " and " + Arrays.toString(labels.shape()));
    }
    int classes = Math.toIntExact(logitsOrProbabilities.size(1));
    int[] predicted = logitsOrProbabilities.argMax(1).castTo(DataType.INT32).toIntVector();
    int[] truth = labels.reshape(labels.length()).castTo(DataType.INT32).toIntVector();
    long[][] counts = new long[classes][classes];
    for (int i = 0; i < truth.length; i++) {
      if (truth[i] < 0 || truth[i] >= classes) {
        throw new IllegalArgumentException("label " + truth[i] + " of example " + i + " is not a class id of "
            + classes + " classes (0.." + (classes - 1) + ")");
      }
      counts[truth[i]][predicted[i]]++;
    }
    return new ConfusionMatrix(counts);
  }

  /** The number of examples of class {@code truth} predicted as class {@code predicted}. */
  public long count(int truth, int predicted) {
    return counts[truth][predicted];
  }

  /** The fraction of examples predicted as their true class (the diagonal over the total). */
  public double accuracy() {
    return (double) correct / total;
  }

  /** K, the number of classes. */
  public int classes() {
    return counts.length;
  }

  /**
   * Draws the matrix as a K x K heat map: rows the true class, columns the predicted class, each
   * cell showing its count and shaded by its share of the row (so a class's mistakes stand out
   * however many examples it has), class names on both axes and the accuracy in the title.
   */
  public void writePng(Path png, List<String> classNames) throws IOException {
    int k = classes();
    if (classNames.size() != k) {
      throw new IllegalArgumentException(k + " classes but " + classNames.size() + " class names: " + classNames);
    }
    Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    FontMetrics labels = scratch.getFontMetrics(labelFont);
    scratch.dispose();
    int longest = classNames.stream().mapToInt(labels::stringWidth).max().orElse(0);
    int gridLeft = MARGIN + 24 + longest + 10;
    int gridTop = TITLE_HEIGHT;
    int grid = k * CELL;
    int columnLabels = (int) Math.ceil(longest * Math.sqrt(0.5)) + labels.getHeight() + 12;
    int width = Math.max(gridLeft + grid + 30 + BAR_WIDTH + 50 + MARGIN, 560);
    int height = gridTop + grid + columnLabels + 36 + MARGIN;

    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString(String.format(Locale.ROOT, "Confusion matrix: accuracy %.2f%% (%,d of %,d examples)",
          100 * accuracy(), correct, total), MARGIN, 32);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.setColor(Color.DARK_GRAY);
      g.drawString("rows: true class, columns: predicted class; shade: share of the true class's examples",
          MARGIN, 52);

      cells(g, gridLeft, gridTop);
      classLabels(g, classNames, labelFont, gridLeft, gridTop);
      colorBar(g, gridLeft + grid + 30, gridTop, grid);

      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      FontMetrics fm = g.getFontMetrics();
      String predicted = "predicted class";
      g.drawString(predicted, gridLeft + (grid - fm.stringWidth(predicted)) / 2, gridTop + grid + columnLabels + 20);
      AffineTransform saved = g.getTransform();
      g.rotate(-Math.PI / 2);
      String truth = "true class";
      g.drawString(truth, -(gridTop + (grid + fm.stringWidth(truth)) / 2), MARGIN + 8);
      g.setTransform(saved);
    } finally {
      g.dispose();
    }
    Files.createDirectories(png.toAbsolutePath().getParent());
    if (!ImageIO.write(image, "png", png.toFile())) {
      throw new IOException("no PNG writer available to write " + png);
    }
  }

  /** The shaded cells with their counts, thin lines between them and a frame around them. */
  private void cells(Graphics2D g, int left, int top) {
    int k = classes();
    for (int t = 0; t < k; t++) {
      long rowTotal = Arrays.stream(counts[t]).sum();
      for (int p = 0; p < k; p++) {
        double share = rowTotal == 0 ? 0 : (double) counts[t][p] / rowTotal;
        int x = left + p * CELL;
        int y = top + t * CELL;
        g.setColor(shade(share));
        g.fillRect(x, y, CELL, CELL);
        g.setFont(new Font(Font.SANS_SERIF, t == p ? Font.BOLD : Font.PLAIN, 14));
        g.setColor(counts[t][p] == 0 ? new Color(0xb0b0b0) : share > 0.45 ? Color.WHITE : Color.BLACK);
        String s = String.format(Locale.ROOT, "%,d", counts[t][p]);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, x + (CELL - fm.stringWidth(s)) / 2, y + (CELL + fm.getAscent() - fm.getDescent()) / 2);
      }
    }
    g.setColor(new Color(0xd9d9d9));
    g.setStroke(new BasicStroke(1f));
    for (int i = 1; i < k; i++) {
      g.drawLine(left + i * CELL, top, left + i * CELL, top + k * CELL);
      g.drawLine(left, top + i * CELL, left + k * CELL, top + i * CELL);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1.2f));
    g.drawRect(left, top, k * CELL, k * CELL);
  }

  /** Row names right-aligned left of the grid; column names below it, turned 45 degrees. */
  private static void classLabels(Graphics2D g, List<String> names, Font font, int left, int top) {
    g.setFont(font);
    g.setColor(Color.BLACK);
    FontMetrics fm = g.getFontMetrics();
    int bottom = top + names.size() * CELL;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      int centre = i * CELL + CELL / 2;
      g.drawString(name, left - 10 - fm.stringWidth(name), top + centre + (fm.getAscent() - fm.getDescent()) / 2);
      AffineTransform saved = g.getTransform();
      g.translate(left + centre + fm.getAscent() / 2.0, bottom + 8);
      g.rotate(-Math.PI / 4);
      g.drawString(name, -fm.stringWidth(name), 0);
      g.setTransform(saved);
    }
  }

  /** The shade scale, 0% at the bottom to 100% at the top, with ticks every 25%. */
  private static void colorBar(Graphics2D g, int left, int top, int height) {
    for (int y = 0; y < height; y++) {
      g.setColor(shade(1 - (double) y / (height - 1)));
      g.drawLine(left, top + y, left + BAR_WIDTH, top + y);
    }
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(left, top, BAR_WIDTH, height);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    FontMetrics fm = g.getFontMetrics();
    for (int percent = 0; percent <= 100; percent += 25) {
      int y = top + (int) Math.round((100 - percent) / 100.0 * height);
      g.drawLine(left + BAR_WIDTH, y, left + BAR_WIDTH + 4, y);
      g.drawString(percent + "%", left + BAR_WIDTH + 7, y + fm.getAscent() / 2 - 1);
    }
  }

  /** The colour of a share in [0, 1], interpolated linearly between the {@link #SHADES}. */
  private static Color shade(double share) {
    double position = Math.min(1, Math.max(0, share)) * (SHADES.length - 1);
    int i = Math.min((int) position, SHADES.length - 2);
    double f = position - i;
    Color a = SHADES[i];
    Color b = SHADES[i + 1];
    return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
        (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
        (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
  }
}
