package dev.kiln.examples;

import dev.kiln.runtime.data.Idx;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The images {@code predict} classifies, read from files into one batch shaped like Fashion-MNIST:
 * float32 {@code [N, 28, 28, 1]} in [0, 1], each with a name for the report. A file is either a
 * picture ImageIO reads (PNG, JPEG, BMP, GIF) or an IDX images file, told apart by content, not by
 * name.
 *
 * @param names one per image: the file, followed by {@code #i} for image {@code i} of an IDX file
 * @param batch the images, {@code [N, 28, 28, 1]}
 */
record Images(List<String> names, INDArray batch) {
  /** Fashion-MNIST's image side. */
  static final int SIDE = 28;

  /** Reads every file in order; of an IDX file, its first {@code idxLimit} images. */
  static Images read(List<Path> files, int idxLimit) throws IOException {
    List<String> names = new ArrayList<>();
    List<INDArray> parts = new ArrayList<>();
    for (Path file : files) {
      BufferedImage picture;
      try (InputStream in = Files.newInputStream(file)) {
        picture = ImageIO.read(in);
      }
      if (picture != null) {
        names.add(file.toString());
        parts.add(Nd4j.create(grayPixels(picture), new long[] {1, SIDE, SIDE, 1}, 'c'));
        continue;
      }
      INDArray images;
      try {
        images = Idx.readImages(file);
      } catch (IOException e) {
        throw new IOException(file + " is neither an image ImageIO reads (PNG, JPEG, BMP, GIF) nor an IDX images"
            + " file (" + e.getMessage() + ")", e);
      }
      long n = Math.min(idxLimit, images.size(0));
      for (int i = 0; i < n; i++) {
        names.add(file + " #" + i);
      }
      parts.add(images.get(NDArrayIndex.interval(0, n)));
    }
    return new Images(List.copyOf(names), Nd4j.concat(0, parts.toArray(new INDArray[0])));
  }

  /**
   * A picture as 28 x 28 gray levels in [0, 1], row by row. A picture of another size is scaled
   * smoothly (area averaging) to fit 28 x 28 with its aspect ratio kept, centred. Transparent parts
   * become black, Fashion-MNIST's background. Colour becomes gray by ITU-R BT.601 luma, as PIL's
   * {@code convert("L")} does.
   *
   * <p>The picture is first drawn onto an opaque RGB canvas, which keeps a gray PNG's stored
   * levels; scaling or reading a gray image directly would pass its levels through Java2D's linear
   * gray colour space and brighten them (50 reads back as 122).
   */
  static float[] grayPixels(BufferedImage picture) {
    int width = picture.getWidth();
    int height = picture.getHeight();
    BufferedImage rgb = onBlack(picture, width, height, 0, 0);
    if (width != SIDE || height != SIDE) {
      double scale = (double) SIDE / Math.max(width, height);
      int w = Math.max(1, (int) Math.round(width * scale));
      int h = Math.max(1, (int) Math.round(height * scale));
      rgb = onBlack(rgb.getScaledInstance(w, h, Image.SCALE_SMOOTH), SIDE, SIDE, (SIDE - w) / 2, (SIDE - h) / 2);
    }
    float[] gray = new float[SIDE * SIDE];
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        int p = rgb.getRGB(x, y);
        double luma = 0.299 * (p >> 16 & 0xFF) + 0.587 * (p >> 8 & 0xFF) + 0.114 * (p & 0xFF);
        gray[y * SIDE + x] = (float) (luma / 255);
      }
    }
    return gray;
  }

  /** A {@code width x height} RGB canvas filled black with {@code image} drawn at {@code (x, y)}. */
  private static BufferedImage onBlack(Image image, int width, int height, int x, int y) {
    BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    try {
      g.setColor(Color.BLACK);
      g.fillRect(0, 0, width, height);
      g.drawImage(image, x, y, null);
    } finally {
      g.dispose();
    }
    return canvas;
  }
}
