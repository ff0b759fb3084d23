package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConfusionMatrixTest {
  /**
   * Six examples of three classes. Truth 0,0,1,1,2,2; the argmax of each row predicts 0,1,1,1,0,2:
   * one class-0 example taken for class 1 and one class-2 example taken for class 0.
   */
  static ConfusionMatrix handMade() {
    INDArray logits = Nd4j.createFromArray(new float[][] {
        {2.0f, 0.1f, 0.3f},
        {0.2f, 1.5f, -1f},
        {0.0f, 3.0f, 1.0f},
        {-1f, 0.5f, 0.4f},
        {0.9f, 0.2f, 0.8f},
        {0.1f, 0.2f, 0.3f}});
    return ConfusionMatrix.of(logits, Nd4j.createFromArray(0, 0, 1, 1, 2, 2));
  }

  @Test
  void countsTruthAgainstArgmax() {
    ConfusionMatrix m = handMade();
    assertEquals(3, m.classes());
    long[][] expected = {{1, 1, 0}, {0, 2, 0}, {1, 0, 1}};
    for (int t = 0; t < 3; t++) {
      for (int p = 0; p < 3; p++) {
        assertEquals(expected[t][p], m.count(t, p), "truth " + t + ", predicted " + p);
      }
    }
    assertEquals(4.0 / 6, m.accuracy(), 1e-12);
  }

  @Test
  void accuracyAgreesWithTheAccuracyMetric() {
    INDArray outputs = Nd4j.rand(200, 5);
    INDArray labels = Nd4j.createFromArray(new java.util.Random(3).ints(200, 0, 5).toArray());
    assertEquals(Metrics.accuracy().compute(outputs, labels), ConfusionMatrix.of(outputs, labels).accuracy(), 1e-12);
  }

  @Test
  void rejectsLabelsOutsideTheClasses() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfusionMatrix.of(Nd4j.rand(2, 3), Nd4j.createFromArray(0, 3)));
    assertEquals("label 3 of example 1 is not a class id of 3 classes (0..2)", e.getMessage());
  }

  @Test
  void writesAReadablePng(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("sub/confusion.png");
    handMade().writePng(png, List.of("cat", "dog", "very long class name"));
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, "ImageIO reads the PNG back");
    assertTrue(image.getWidth() >= 3 * 64 && image.getHeight() >= 3 * 64,
        image.getWidth() + "x" + image.getHeight());
  }

  @Test
  void needsOneNamePerClass(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> handMade().writePng(dir.resolve("c.png"), List.of("a", "b")));
    assertEquals("3 classes but 2 class names: [a, b]", e.getMessage());
  }
}
