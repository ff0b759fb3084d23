package dev.kiln.runtime.model;

import dev.kiln.runtime.loss.Loss;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.random.PRNGKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every generated {@code XxxModel} offers for its parameter record {@code P}: Flax's
 * {@code init}/{@code apply}, the parameter tree in Flax path order, and the compiled trainer.
 */
public interface ModelDefinition<P extends Record> {
  /** The record's simple name. */
  String name();

  /** The input shape without the batch axis; symbolic dimensions are reported as -1. */
  long[] inputShape();

  /** Parameters from Flax's default initialisers, bit-identical to Flax's {@code init(key, x)}. */
  P init(PRNGKey key);

  /** The model's (first) output for a batch, in evaluation mode; allocates its buffers for this call. */
  INDArray apply(P params, INDArray input);

  /**
   * {@link #apply} for many batches: the function keeps its buffers per batch shape, and each result
   * is overwritten by the next call of the same shape.
   */
  java.util.function.UnaryOperator<INDArray> predictor(P params);

  /** Every parameter's Flax path ({@code dense/kernel}, ...) and shape, in tree order. */
  LinkedHashMap<String, long[]> parameterShapes();

  /** The leaves of {@code params} keyed by Flax path, in tree order (the arrays themselves, not copies). */
  LinkedHashMap<String, INDArray> toFlax(P params);

  /**
   * Builds the parameter record from arrays keyed by Flax path (and state under {@code batch_stats/},
   * which starts afresh when absent); fails with every missing, unexpected or mis-shaped path listed
   * with its expected and found shape.
   */
  P fromFlax(Map<String, INDArray> arrays);

  /** Every state array's path and shape (running statistics), in tree order; empty for most models. */
  default LinkedHashMap<String, long[]> stateShapes() {
    return new LinkedHashMap<>();
  }

  /** The state arrays of {@code params} keyed by path (without the {@code batch_stats/} prefix). */
  default LinkedHashMap<String, INDArray> stateToFlax(P params) {
    return new LinkedHashMap<>();
  }

  /**
   * Everything a checkpoint holds: the parameters by Flax path, then the state under {@code
   * batch_stats/}; {@link #fromFlax} reads it back.
   */
  default LinkedHashMap<String, INDArray> variables(P params) {
    LinkedHashMap<String, INDArray> all = toFlax(params);
    stateToFlax(params).forEach((path, array) -> all.put(ModelSupport.STATE + path, array));
    return all;
  }

  /** Zero arrays shaped like {@code params} (no state): where gradients are written. */
  P zerosLike(P params);

  /** The leaves in tree order, for optimizers. */
  default List<INDArray> leaves(P params) {
    return List.copyOf(toFlax(params).values());
  }

  /** A table in the spirit of Flax's {@code tabulate}: layer, output shape, parameters, FLOPs. */
  String summary();

  /** The compiled training step for these parameters, updated in place. */
  TrainStep<P> trainer(P params, Loss loss, Optimizer optimizer);
}
