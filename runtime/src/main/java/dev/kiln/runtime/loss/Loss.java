package dev.kiln.runtime.loss;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A scalar loss of a model's prediction against a target, with its gradient. */
public interface Loss {
  /** The loss value. */
  double value(INDArray prediction, INDArray target);

  /**
   * The loss value; writes dLoss/dPrediction into {@code gradient} (shaped like the prediction),
   * so a training step allocates no gradient array of its own.
   */
  double valueAndGradient(INDArray prediction, INDArray target, INDArray gradient);
}
