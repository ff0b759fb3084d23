package dev.kiln.runtime.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Gray images {@code [N, H, W, 1]} with values in [0, 1] laid out as a grid in one PNG, for looking at samples. */
public final class ImageGrid {
  private static final int SCALE = 3;
  private static final int GAP = 2;

  private ImageGrid() {}

  public static void writePng(INDArray images, int columns, Path png) throws IOException {
    if (images.rank() != 4 || images.size(3) != 1) {
      throw new IllegalArgumentException("expected gray images [N, H, W, 1], found " + java.util.Arrays.toString(
          images.shape()));
    }
    int n = (int) images.size(0);
    int h = (int) images.size(1);
    int w = (int) images.size(2);
    int rows = (n + columns - 1) / columns;
    int cell = GAP + SCALE * w;
    BufferedImage image = new BufferedImage(columns * cell + GAP, rows * (GAP + SCALE * h) + GAP,
        BufferedImage.TYPE_BYTE_GRAY);
    float[] values = images.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    for (int i = 0; i < n; i++) {
      int x0 = GAP + (i % columns) * cell;
      int y0 = GAP + (i / columns) * (GAP + SCALE * h);
      for (int y = 0; y < h * SCALE; y++) {
        for (int x = 0; x < w * SCALE; x++) {
          float v = values[i * h * w + (y / SCALE) * w + x / SCALE];
          int gray = Math.round(255 * Math.max(0f, Math.min(1f, v)));
          image.getRaster().setSample(x0 + x, y0 + y, 0, gray);
        }
      }
    }
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ImageIO.write(image, "png", png.toFile());
  }
}
