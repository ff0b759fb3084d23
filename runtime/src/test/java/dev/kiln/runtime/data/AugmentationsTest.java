package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.random.JaxRandom;
import dev.kiln.runtime.random.PRNGKey;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AugmentationsTest {
  private static final int B = 8;
  private static final int H = 2;
  private static final int W = 3;
  private static final int C = 2;

  /** A batch [8, 2, 3, 2] whose every element is distinct: 1000 b + 100 h + 10 w + c. */
  static INDArray numberedImages() {
    INDArray x = Nd4j.create(new long[] {B, H, W, C}, 'c');
    for (int b = 0; b < B; b++) {
      for (int h = 0; h < H; h++) {
        for (int w = 0; w < W; w++) {
          for (int c = 0; c < C; c++) {
            x.putScalar(new long[] {b, h, w, c}, 1000 * b + 100 * h + 10 * w + c);
          }
        }
      }
    }
    return x;
  }

  @Test
  void flipsExactlyTheImagesJaxBernoulliPicks() {
    PRNGKey key = new PRNGKey(0, 5);
    INDArray original = numberedImages();
    INDArray x = original.dup();
    Augmentations.randomHorizontalFlip().apply(x, key);
    float[] picked = JaxRandom.bernoulli(key, 0.5f, B).toFloatVector();
    int flipped = 0;
    for (int b = 0; b < B; b++) {
      boolean flip = picked[b] == 1f;
      flipped += flip ? 1 : 0;
      for (int h = 0; h < H; h++) {
        for (int w = 0; w < W; w++) {
          for (int c = 0; c < C; c++) {
            int sourceW = flip ? W - 1 - w : w;
            assertEquals(original.getFloat(b, h, sourceW, c), x.getFloat(b, h, w, c),
                "image " + b + (flip ? " mirrored" : " unchanged") + " at h=" + h + " w=" + w + " c=" + c);
          }
        }
      }
    }
    assertTrue(flipped > 0 && flipped < B, "this key flips some images and keeps others: " + flipped + " of " + B);
  }

  @Test
  void sameKeySameFlipsAnotherKeyOthers() {
    INDArray a = numberedImages();
    INDArray b = numberedImages();
    INDArray c = numberedImages();
    Augmentations.randomHorizontalFlip().apply(a, new PRNGKey(0, 5));
    Augmentations.randomHorizontalFlip().apply(b, new PRNGKey(0, 5));
    Augmentations.randomHorizontalFlip().apply(c, new PRNGKey(0, 6));
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void flippingTwiceWithOneKeyRestoresTheBatch() {
    INDArray x = numberedImages();
    Augmentation flip = Augmentations.randomHorizontalFlip();
    flip.apply(x, new PRNGKey(0, 9));
    flip.apply(x, new PRNGKey(0, 9));
    assertEquals(numberedImages(), x);
  }

  @Test
  void needsNhwcImages() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Augmentations.randomHorizontalFlip().apply(Nd4j.rand(4, 784), new PRNGKey(0, 1)));
    assertEquals("randomHorizontalFlip needs NHWC images [B, H, W, C], found shape [4, 784]", e.getMessage());
  }
}
