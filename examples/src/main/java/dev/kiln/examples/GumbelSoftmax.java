package dev.kiln.examples;

import dev.kiln.annotations.Activation;
import dev.kiln.runtime.nn.ActivationOps;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Gumbel-softmax relaxation of drawing one character per position (Jang et al. 2017): {@code
 * y = softmax((logits + g) / tau)} over the last axis, for standard Gumbel noise {@code g}. As
 * {@code tau} falls, {@code y} approaches the one-hot of {@code argmax(logits + g)}, an exact draw
 * from {@code softmax(logits)}, while staying differentiable in the logits.
 */
final class GumbelSoftmax {
  private GumbelSoftmax() {}

  /** {@code softmax((logits + gumbel) / tau)} over the last axis; a new array. */
  static INDArray sample(INDArray logits, INDArray gumbel, double tau) {
    INDArray scaled = logits.add(gumbel).divi(tau);
    INDArray y = scaled.ulike();
    ActivationOps.forward(Activation.SOFTMAX, scaled, y);
    return y;
  }

  /**
   * The logits' cotangent given {@code y = sample(...)} and {@code dY}: the softmax Jacobian,
   * {@code y * (dY - sum(dY * y, last axis)) / tau}.
   */
  static INDArray backward(INDArray y, INDArray dY, double tau) {
    int last = y.rank() - 1;
    INDArray dot = dY.mul(y).sum(true, last);
    return dY.sub(dot.broadcast(y.shape())).muli(y).divi(tau);
  }

  /** The one-hot of each row's largest entry, shaped like {@code y}: the hard sample behind {@code y}. */
  static INDArray oneHot(INDArray y) {
    long classes = y.size(y.rank() - 1);
    INDArray rows = y.reshape(y.length() / classes, classes);
    INDArray hard = rows.ulike().assign(0);
    long[] argmax = rows.argMax(1).toLongVector();
    for (int r = 0; r < argmax.length; r++) {
      hard.putScalar(r, argmax[r], 1.0);
    }
    return hard.reshape(y.shape());
  }
}
