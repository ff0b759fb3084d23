package dev.kiln.runtime.nn;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trainable parameters of a Flax {@code nn.BatchNorm} over {@code C} features (the last axis).
 *
 * @param scale {@code [C]} ({@code params/<name>/scale}, initialised to ones)
 * @param bias {@code [C]} ({@code params/<name>/bias}, initialised to zeros)
 */
public record BatchNormParams(INDArray scale, INDArray bias) {
  /** Fails on a null array. */
  public BatchNormParams {
    Objects.requireNonNull(scale, "scale");
    Objects.requireNonNull(bias, "bias");
    if (scale.rank() != 1 || !Arrays.equals(scale.shape(), bias.shape())) {
      throw new IllegalArgumentException(
          "BatchNorm scale and bias must both be [C], got " + Arrays.toString(scale.shape())
              + " and " + Arrays.toString(bias.shape()));
    }
  }
}
