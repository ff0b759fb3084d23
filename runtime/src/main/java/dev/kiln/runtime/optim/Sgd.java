package dev.kiln.runtime.optim;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * optax.sgd: {@code p -= lr * g}; with momentum, optax's {@code trace} first:
 * {@code trace = g + momentum * trace}, and the update uses {@code trace} (or, with Nesterov,
 * {@code g + momentum * trace}). ND4J has no heavy-ball updater ({@code nesterovs_updater} is a
 * different formula), so this is plain in-place arithmetic, which reproduces optax's float32
 * operations one for one.
 */
final class Sgd extends LeafwiseOptimizer {
  static final String TRACE = "trace";

  private final Double momentum;
  private final boolean nesterov;

  /** {@code momentum} null: no trace slot at all, as optax without momentum. */
  Sgd(Schedule learningRate, Double momentum, boolean nesterov) {
    super(learningRate, momentum == null ? List.of() : List.of(TRACE));
    if (momentum == null && nesterov) {
      throw new IllegalArgumentException("Nesterov needs a momentum");
    }
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  /** optax.sgd is {@code chain(trace or identity, scale_by_learning_rate)}. */
  @Override
  public List<List<String>> optaxLayout(OptimizerState state) {
    return List.of(momentum == null ? List.of() : List.of(TRACE), learningRateState());
  }

  @Override
  void updateLeaf(long step, double lr, INDArray p, INDArray g, INDArray scratch, OptimizerState state, int leaf) {
    if (momentum == null) {
      g.mul(lr, scratch);
    } else {
      INDArray trace = state.slot(TRACE).get(leaf);
      trace.muli(momentum).addi(g);
      if (nesterov) {
        trace.mul(momentum, scratch).addi(g).muli(lr);
      } else {
        trace.mul(lr, scratch);
      }
    }
    p.subi(scratch);
  }
}
