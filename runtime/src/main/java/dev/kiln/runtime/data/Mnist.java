package dev.kiln.runtime.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * LeCun's MNIST digits: 60,000 training and 10,000 test images of 28x28 handwritten digits, as
 * float32 {@code [N, 28, 28, 1]} in [0, 1] with int32 labels {@code [N]}. Found by
 * {@link DatasetResolver} like {@link FashionMnist} ({@code KILN_MNIST}, {@code ~/.cache/kiln/mnist});
 * there is no Debian copy, and no download until checksums verified against a canonical copy are
 * recorded here.
 */
public final class Mnist {
  public static final IdxSource SOURCE = new IdxSource("MNIST", 10, "KILN_MNIST", "mnist", null, null, Map.of());

  private Mnist() {}

  public static Dataset train() {
    return train(null);
  }

  public static Dataset test() {
    return test(null);
  }

  /** The training images from {@code dir} (null: the standard order). */
  public static Dataset train(Path dir) {
    return SOURCE.load("train", dir, DatasetResolver.standard());
  }

  /** The test images from {@code dir} (null: the standard order). */
  public static Dataset test(Path dir) {
    return SOURCE.load("t10k", dir, DatasetResolver.standard());
  }
}
