package dev.kiln.runtime.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a {@code @BatchNorm} component holds: Flax's trainable {@code scale} and {@code bias}
 * ({@code params}) and its running {@code mean} and {@code var} ({@code batch_stats}), each {@code
 * [C]}. A gradient record carries no statistics: there they are null.
 */
public record BatchNormVars(INDArray scale, INDArray bias, INDArray mean, INDArray var) {
  /** The trainable part, {@code scale} and {@code bias}. */
  public BatchNormParams params() {
    return new BatchNormParams(scale, bias);
  }

  /** The running statistics, {@code mean} and {@code var}. */
  public BatchNormStats stats() {
    return new BatchNormStats(mean, var);
  }
}
