package dev.kiln.runtime.optim;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * optax.adam and optax.adamw (Adam followed by {@code add_decayed_weights}, then the learning rate):
 * {@code mu = b1 mu + (1-b1) g}, {@code nu = b2 nu + (1-b2) g^2},
 * {@code u = mu/(1-b1^t) / (sqrt(nu/(1-b2^t)) + eps)} with {@code t} the step count after
 * increment, {@code p -= lr * (u + weightDecay * p)}.
 *
 * <p>The moments run in ND4J's native {@code adam_updater}, which folds the bias corrections into
 * the step size: it computes {@code lr sqrt(1-b2^t)/(1-b1^t) * mu / (sqrt(nu) + eps')} with
 * {@code t} = its iteration argument + 1. Passing iteration {@code t-1} and
 * {@code eps' = eps sqrt(1-b2^t)} makes that algebraically optax's formula (equal to float32
 * rounding).
 */
final class Adam extends LeafwiseOptimizer {
  static final String MU = "mu";
  static final String NU = "nu";

  private final double b1;
  private final double b2;
  private final double eps;
  /** Null for optax.adam, which has no {@code add_decayed_weights} stage. */
  private final Double weightDecay;

  /** {@code weightDecay} null is optax.adam; otherwise optax.adamw with its default mask (every leaf). */
  Adam(Schedule learningRate, double b1, double b2, double eps, Double weightDecay) {
    super(learningRate, List.of(MU, NU));
    this.b1 = b1;
    this.b2 = b2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  /**
   * optax.adam is {@code chain(scale_by_adam, scale_by_learning_rate)}; optax.adamw puts
   * {@code add_decayed_weights} (no state) between them.
   */
  @Override
  public List<List<String>> optaxLayout(OptimizerState state) {
    List<String> adam = List.of(OptimizerState.COUNT, MU, NU);
    return weightDecay == null ? List.of(adam, learningRateState())
        : List.of(adam, List.of(), learningRateState());
  }

  @Override
  void updateLeaf(long step, double lr, INDArray p, INDArray g, INDArray scratch, OptimizerState state, int leaf) {
    INDArray mu = state.slot(MU).get(leaf);
    INDArray nu = state.slot(NU).get(leaf);
    long t = step + 1;
    Nd4j.exec(DynamicCustomOp.builder("adam_updater")
        .addInputs(g, nu, mu)
        .addOutputs(scratch, nu, mu)
        .addFloatingPointArguments(lr, b1, b2, eps * Math.sqrt(1 - Math.pow(b2, t)))
        .addIntegerArguments(Math.toIntExact(step))
        .build());
    if (weightDecay != null && weightDecay != 0) {
      Nd4j.getBlasWrapper().level1().axpy(p.length(), lr * weightDecay, p, scratch);
    }
    p.subi(scratch);
  }
}
