package dev.kiln.spark;

import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.OptimizerState;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An optimizer that first replaces the local gradients with their mean over all replicas, then applies
 * the wrapped optimizer. Handed to a generated trainer, it turns the trainer's step (forward, loss,
 * backward, update) into a synchronous data-parallel step without the trainer knowing.
 */
final class GradientAveragingOptimizer implements Optimizer {
  private final Optimizer inner;
  private final ReplicaGroup exchange;

  GradientAveragingOptimizer(Optimizer inner, ReplicaGroup exchange) {
    this.inner = inner;
    this.exchange = exchange;
  }

  @Override
  public OptimizerState init(List<INDArray> params) {
    return inner.init(params);
  }

  @Override
  public void update(List<INDArray> params, List<INDArray> grads, OptimizerState state) {
    exchange.average(grads);
    inner.update(params, grads, state);
  }
}
