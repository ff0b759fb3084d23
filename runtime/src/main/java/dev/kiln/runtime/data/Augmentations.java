package dev.kiln.runtime.data;

import dev.kiln.runtime.random.JaxRandom;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Ready-made {@link Augmentation}s for image batches in NHWC layout. */
public final class Augmentations {
  private Augmentations() {}

  /**
   * Mirrors each image of an NHWC batch left to right (reverses its W axis) with probability 1/2.
   * Image {@code i} is flipped when word {@code i} of {@code jax.random.bits(key, (B,))} has its top
   * bit clear, which is exactly {@code jax.random.bernoulli(key, 0.5, (B,))[i]} (that compares
   * {@code uniform(key) < 0.5}, and the uniform is built from the top 23 bits of the same words), so
   * the choice can be reproduced in JAX. Each chosen image is reversed in place on a view of the
   * batch; the only allocations are the B words and small view objects.
   */
  public static Augmentation randomHorizontalFlip() {
    return (batch, key) -> {
      if (batch.rank() != 4) {
        throw new IllegalArgumentException("randomHorizontalFlip needs NHWC images [B, H, W, C], found shape "
            + Arrays.toString(batch.shape()));
      }
      int[] words = JaxRandom.bits(key, batch.size(0));
      for (int i = 0; i < words.length; i++) {
        if (words[i] >= 0) {
          INDArray image = batch.get(NDArrayIndex.point(i));
          Nd4j.exec(new Reverse(image, image, 1));
        }
      }
    };
  }
}
