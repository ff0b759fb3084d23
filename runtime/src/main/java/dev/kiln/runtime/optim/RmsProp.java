package dev.kiln.runtime.optim;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.RSqrt;
import org.nd4j.linalg.factory.Nd4j;

/**
 * optax.rmsprop with its defaults (not centred, no momentum, no bias correction, initial scale 0,
 * {@code eps_in_sqrt=True}): {@code nu = decay nu + (1-decay) g^2}, {@code p -= lr g / sqrt(nu + eps)}.
 * Optax 0.2.8 adds eps inside the square root by default (PyTorch and ND4J's native
 * {@code rms_prop_updater} add it outside), so this is in-place arithmetic in optax's order rather
 * than the native updater.
 */
final class RmsProp extends LeafwiseOptimizer {
  static final String NU = "nu";

  private final double decay;
  private final double eps;

  RmsProp(Schedule learningRate, double decay, double eps) {
    super(learningRate, List.of(NU));
    this.decay = decay;
    this.eps = eps;
  }

  /**
   * optax.rmsprop is {@code chain(scale_by_rms, scale_by_learning_rate, trace or identity)}: without
   * momentum the last is {@code identity}, with an empty state ({@code ScaleByRmsState} has no count
   * without bias correction).
   */
  @Override
  public List<List<String>> optaxLayout(OptimizerState state) {
    return List.of(List.of(NU), learningRateState(), List.of());
  }

  @Override
  void updateLeaf(long step, double lr, INDArray p, INDArray g, INDArray scratch, OptimizerState state, int leaf) {
    INDArray nu = state.slot(NU).get(leaf);
    g.mul(g, scratch).muli(1 - decay);
    nu.muli(decay).addi(scratch);
    nu.add(eps, scratch);
    Nd4j.exec(new RSqrt(scratch, scratch));
    scratch.muli(g).muli(lr);
    p.subi(scratch);
  }
}
