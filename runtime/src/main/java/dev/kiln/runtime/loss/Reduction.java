package dev.kiln.runtime.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How an elementwise loss (optax's per-element {@code sigmoid_binary_cross_entropy},
 * {@code squared_error}) becomes a scalar. Each is the sum of the elements times a factor, so the
 * gradient is the elementwise gradient times the same factor.
 */
public enum Reduction {
  /** {@code loss.sum()}. */
  SUM,
  /** {@code loss.mean()}: the mean over every element. */
  MEAN,
  /** {@code loss.sum(axis=features).mean()}: summed over every axis but the first, averaged over the batch. */
  BATCH_MEAN;

  /** The factor applied to the sum of the elements of a loss shaped like {@code prediction}. */
  double factor(INDArray prediction) {
    return switch (this) {
      case SUM -> 1;
      case MEAN -> 1.0 / prediction.length();
      case BATCH_MEAN -> 1.0 / prediction.size(0);
    };
  }
}
