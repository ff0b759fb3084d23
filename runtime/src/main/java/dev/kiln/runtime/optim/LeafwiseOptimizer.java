package dev.kiln.runtime.optim;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The part every optax-style optimizer here shares: zero-initialised slots named as optax names
 * them, argument checks, the learning rate read from the schedule at the step count before it is
 * incremented (optax's {@code scale_by_schedule}), and a per-leaf update that works in place with
 * the state's scratch arrays, so no array is allocated after the first update.
 */
abstract class LeafwiseOptimizer implements Optimizer {
  private final Schedule learningRate;
  private final List<String> slotNames;

  LeafwiseOptimizer(Schedule learningRate, List<String> slotNames) {
    this.learningRate = learningRate;
    this.slotNames = List.copyOf(slotNames);
  }

  @Override
  public final OptimizerState init(List<INDArray> params) {
    OptimizerState state = new OptimizerState();
    for (String name : slotNames) {
      List<INDArray> zeros = new ArrayList<>(params.size());
      for (INDArray p : params) {
        zeros.add(p.like());
      }
      state.slots().put(name, List.copyOf(zeros));
    }
    return state;
  }

  @Override
  public final void update(List<INDArray> params, List<INDArray> grads, OptimizerState state) {
    if (params.size() != grads.size()) {
      throw new IllegalArgumentException(params.size() + " parameters but " + grads.size() + " gradients");
    }
    for (String name : slotNames) {
      if (state.slot(name).size() != params.size()) {
        throw new IllegalArgumentException("optimizer slot '" + name + "' holds " + state.slot(name).size()
            + " arrays for " + params.size() + " parameters");
      }
    }
    for (int i = 0; i < params.size(); i++) {
      if (!params.get(i).equalShapes(grads.get(i))) {
        throw new IllegalArgumentException("parameter " + i + " has shape " + params.get(i).shapeInfoToString()
            + " but its gradient " + grads.get(i).shapeInfoToString());
      }
    }
    List<INDArray> scratch = state.scratch(params);
    long step = state.step();
    double lr = learningRate.at(step);
    for (int i = 0; i < params.size(); i++) {
      updateLeaf(step, lr, params.get(i), grads.get(i), scratch.get(i), state, i);
    }
    state.setStep(step + 1);
  }

  /**
   * The learning rate's state in optax's chain ({@code scale_by_learning_rate}): an {@code EmptyState}
   * for a constant ({@code optax.scale}), a count for a schedule ({@code ScaleByScheduleState}).
   */
  final List<String> learningRateState() {
    return learningRate instanceof ConstantSchedule ? List.of() : List.of(OptimizerState.COUNT);
  }

  /**
   * Updates one parameter leaf in place.
   *
   * @param step updates applied before this one (optax's {@code count})
   * @param lr the learning rate for this update
   * @param scratch a work array shaped like {@code p}, free to overwrite
   * @param leaf the leaf's index into the state's slots
   */
  abstract void updateLeaf(long step, double lr, INDArray p, INDArray g, INDArray scratch,
      OptimizerState state, int leaf);
}
