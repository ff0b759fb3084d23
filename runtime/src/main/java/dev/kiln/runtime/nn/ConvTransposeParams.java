package dev.kiln.runtime.nn;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of a Flax {@code nn.ConvTranspose} layer (2-D), laid out as Flax stores them. A
 * record of its own rather than {@link ConvParams}: with {@code transpose_kernel=True} Flax stores
 * the kernel as {@code [kh, kw, out, in]}, so the bias length is the kernel's axis 2, which {@link
 * ConvParams} would reject. {@link ConvTransposeOps} checks the exact shapes.
 *
 * @param kernel {@code [kh, kw, in, out]} ({@code transpose_kernel=False}, the default) or {@code
 *     [kh, kw, out, in]} ({@code transpose_kernel=True}); {@code params/<name>/kernel}
 * @param bias {@code [out]} ({@code params/<name>/bias}), or {@code null} when {@code
 *     use_bias=False}
 */
public record ConvTransposeParams(INDArray kernel, INDArray bias) {
  public ConvTransposeParams {
    Objects.requireNonNull(kernel, "kernel");
    if (kernel.rank() != 4) {
      throw new IllegalArgumentException(
          "ConvTranspose kernel must be [kh, kw, in, out], got " + Arrays.toString(kernel.shape()));
    }
    if (bias != null
        && (bias.rank() != 1 || (bias.length() != kernel.size(3) && bias.length() != kernel.size(2)))) {
      throw new IllegalArgumentException(
          "ConvTranspose bias must be [out], got " + Arrays.toString(bias.shape()) + " for a kernel "
              + Arrays.toString(kernel.shape()));
    }
  }

  /** Parameters without a bias ({@code use_bias=False}). */
  public static ConvTransposeParams withoutBias(INDArray kernel) {
    return new ConvTransposeParams(kernel, null);
  }

  public boolean hasBias() {
    return bias != null;
  }
}
