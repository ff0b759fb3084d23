package dev.kiln.runtime.nn;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of a Flax {@code nn.Conv} layer (2-D), laid out as Flax stores them.
 *
 * @param kernel {@code [kh, kw, in, out]} (HWIO, {@code params/<name>/kernel})
 * @param bias {@code [out]} ({@code params/<name>/bias}), or {@code null} when {@code
 *     use_bias=False}
 */
public record ConvParams(INDArray kernel, INDArray bias) {
  public ConvParams {
    Objects.requireNonNull(kernel, "kernel");
    if (kernel.rank() != 4) {
      throw new IllegalArgumentException(
          "Conv kernel must be [kh, kw, in, out], got " + Arrays.toString(kernel.shape()));
    }
    if (bias != null && (bias.rank() != 1 || bias.length() != kernel.size(3))) {
      throw new IllegalArgumentException(
          "Conv bias must be [" + kernel.size(3) + "], got " + Arrays.toString(bias.shape()));
    }
  }

  /** Parameters without a bias ({@code use_bias=False}). */
  public static ConvParams withoutBias(INDArray kernel) {
    return new ConvParams(kernel, null);
  }

  public boolean hasBias() {
    return bias != null;
  }
}
