package dev.kiln.runtime.optim;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A gradient transformation with optax's update rule. Parameters are the leaves of a model's
 * parameter tree in Flax path order; updates happen in place.
 */
public interface Optimizer {
  /** Fresh state (moments, step count) for parameters shaped like {@code params}. */
  OptimizerState init(List<INDArray> params);

  /** Applies one update to {@code params} in place and advances {@code state}. */
  void update(List<INDArray> params, List<INDArray> grads, OptimizerState state);
}
