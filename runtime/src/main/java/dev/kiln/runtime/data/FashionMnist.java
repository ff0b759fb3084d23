package dev.kiln.runtime.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Zalando's Fashion-MNIST: 60,000 training and 10,000 test images of 28x28 clothing items in 10
 * classes, as float32 {@code [N, 28, 28, 1]} in [0, 1] with int32 labels {@code [N]}. Files are
 * found by {@link DatasetResolver}: explicit directory, {@code KILN_FASHION_MNIST},
 * {@code ~/.cache/kiln/fashion-mnist}, {@code /usr/share/datasets/fashion-mnist}, then a download.
 */
public final class FashionMnist {
  /**
   * Where Fashion-MNIST is found. The checksums are of the uncompressed IDX content, taken from
   * Debian's {@code dataset-fashion-mnist} (whose gzip files are recompressed, so their own bytes
   * differ from the canonical download's while the content is the same).
   */
  public static final IdxSource SOURCE = new IdxSource("Fashion-MNIST", 10, "KILN_FASHION_MNIST", "fashion-mnist",
      Path.of("/usr/share/datasets/fashion-mnist"),
      URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
      Map.of(
          "train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
          "train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
          "t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
          "t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"));

  private static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private FashionMnist() {}

  /** The 60,000 training images, resolved in the standard order. */
  public static Dataset train() {
    return train(null);
  }

  /** The 10,000 test images, resolved in the standard order. */
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

  /** The class names, indexed by label. */
  public static List<String> classNames() {
    return CLASS_NAMES;
  }
}
