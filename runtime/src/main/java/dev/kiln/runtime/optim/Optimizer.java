package dev.kiln.runtime.optim;

import java.util.ArrayList;
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

  /**
   * Where {@code state} sits in optax's state for the same optimizer, as Flax serialises it: the states
   * of optax's {@code chain}, in order, each given by its fields: {@link OptimizerState#COUNT} for the
   * update count or the name of one of the state's slots (an empty list is optax's {@code EmptyState}).
   * optax.adam(1e-3) is {@code [[count, mu, nu], []]}: {@code ScaleByAdamState}, then the constant
   * learning rate's empty state. The default, for an optimizer of one's own, is one state holding the
   * count and every slot.
   */
  default List<List<String>> optaxLayout(OptimizerState state) {
    List<String> fields = new ArrayList<>();
    fields.add(OptimizerState.COUNT);
    fields.addAll(state.slots().keySet());
    return List.of(List.copyOf(fields));
  }
}
