package dev.kiln.runtime.nn;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of a Flax {@code nn.Dense} layer, laid out as Flax stores them.
 *
 * @param kernel {@code [in, out]} ({@code params/<name>/kernel})
 * @param bias {@code [out]} ({@code params/<name>/bias}), or {@code null} when {@code
 *     use_bias=False}
 */
public record DenseParams(INDArray kernel, INDArray bias) {
  public DenseParams {
    Objects.requireNonNull(kernel, "kernel");
    if (kernel.rank() != 2) {
      throw new IllegalArgumentException("Dense kernel must be [in, out], got " + shape(kernel));
    }
    if (bias != null && (bias.rank() != 1 || bias.length() != kernel.size(1))) {
      throw new IllegalArgumentException(
          "Dense bias must be [" + kernel.size(1) + "], got " + shape(bias));
    }
  }

  /** Parameters without a bias ({@code use_bias=False}). */
  public static DenseParams withoutBias(INDArray kernel) {
    return new DenseParams(kernel, null);
  }

  public boolean hasBias() {
    return bias != null;
  }

  public long inFeatures() {
    return kernel.size(0);
  }

  public long outFeatures() {
    return kernel.size(1);
  }

  private static String shape(INDArray a) {
    return java.util.Arrays.toString(a.shape());
  }
}
