package dev.kiln.runtime.model;

import dev.kiln.runtime.optim.OptimizerState;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's compiled training step (generated as {@code XxxTrainer}): forward, loss, backward and
 * optimizer update on one batch, with buffers sized once per batch shape.
 */
public interface TrainStep<P extends Record> {
  /** Runs one step on a batch and returns the loss before the update. */
  double step(INDArray input, INDArray target);

  /** The model's output for a batch with the current parameters, in evaluation mode. */
  INDArray predict(INDArray input);

  /**
   * The root of the {@code dropout} key stream; step {@code n} (the optimizer state's count before the
   * step, so a restored state continues the stream) uses {@code root.foldIn(n)}, as a Flax
   * loop passes {@code rngs={'dropout': fold_in(key, step)}}. Models without dropout ignore it.
   */
  default void dropoutKey(dev.kiln.runtime.random.PRNGKey root) {}

  /** The current parameters (updated in place by {@link #step}). */
  P params();

  /** The gradients of the last step, in the parameter record's type. */
  P gradients();

  /** The optimizer's state, for checkpoints. */
  OptimizerState optimizerState();

  ModelDefinition<P> model();

  /**
   * Each layer's output of the latest step (or prediction), in the order forward computes them,
   * keyed {@code "component: layer"} after {@code "input"}: what names the first non-finite layer
   * when a loss turns NaN. Empty where a step keeps no such record.
   */
  default Map<String, INDArray> activations() {
    return Map.of();
  }
}
