package dev.kiln.runtime.nn;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The non-trainable running statistics of a Flax {@code nn.BatchNorm} ({@code batch_stats}
 * collection), updated in place by {@link BatchNormOps#trainForward}.
 *
 * @param mean {@code [C]} ({@code batch_stats/<name>/mean}, initialised to zeros)
 * @param var {@code [C]} ({@code batch_stats/<name>/var}, initialised to ones)
 */
public record BatchNormStats(INDArray mean, INDArray var) {
  /** Fails on a null array. */
  public BatchNormStats {
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(var, "var");
    if (mean.rank() != 1 || !Arrays.equals(mean.shape(), var.shape())) {
      throw new IllegalArgumentException(
          "BatchNorm mean and var must both be [C], got " + Arrays.toString(mean.shape())
              + " and " + Arrays.toString(var.shape()));
    }
  }
}
