package dev.kiln.runtime.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of Flax's {@code nn.Bidirectional(nn.RNN(nn.GRUCell(H)), nn.RNN(nn.GRUCell(H)))}
 * on inputs of {@code E} features: the ten {@link GruParams} of the forward direction ({@code
 * params/forward_rnn/cell/...}), then the ten of the backward one ({@code
 * params/backward_rnn/cell/...}), each in {@link GruParams}' order. {@link BidirectionalGruOps}
 * runs them. The two cells must have the same {@code E} and {@code H}.
 *
 * @param forwardIrKernel {@code params/forward_rnn/cell/ir/kernel}
 * @param forwardIrBias {@code params/forward_rnn/cell/ir/bias}
 * @param forwardHrKernel {@code params/forward_rnn/cell/hr/kernel}
 * @param forwardIzKernel {@code params/forward_rnn/cell/iz/kernel}
 * @param forwardIzBias {@code params/forward_rnn/cell/iz/bias}
 * @param forwardHzKernel {@code params/forward_rnn/cell/hz/kernel}
 * @param forwardInKernel {@code params/forward_rnn/cell/in/kernel}
 * @param forwardInBias {@code params/forward_rnn/cell/in/bias}
 * @param forwardHnKernel {@code params/forward_rnn/cell/hn/kernel}
 * @param forwardHnBias {@code params/forward_rnn/cell/hn/bias}
 * @param backwardIrKernel {@code params/backward_rnn/cell/ir/kernel}
 * @param backwardIrBias {@code params/backward_rnn/cell/ir/bias}
 * @param backwardHrKernel {@code params/backward_rnn/cell/hr/kernel}
 * @param backwardIzKernel {@code params/backward_rnn/cell/iz/kernel}
 * @param backwardIzBias {@code params/backward_rnn/cell/iz/bias}
 * @param backwardHzKernel {@code params/backward_rnn/cell/hz/kernel}
 * @param backwardInKernel {@code params/backward_rnn/cell/in/kernel}
 * @param backwardInBias {@code params/backward_rnn/cell/in/bias}
 * @param backwardHnKernel {@code params/backward_rnn/cell/hn/kernel}
 * @param backwardHnBias {@code params/backward_rnn/cell/hn/bias}
 */
public record BidirectionalGruParams(
    INDArray forwardIrKernel, INDArray forwardIrBias, INDArray forwardHrKernel,
    INDArray forwardIzKernel, INDArray forwardIzBias, INDArray forwardHzKernel,
    INDArray forwardInKernel, INDArray forwardInBias, INDArray forwardHnKernel,
    INDArray forwardHnBias,
    INDArray backwardIrKernel, INDArray backwardIrBias, INDArray backwardHrKernel,
    INDArray backwardIzKernel, INDArray backwardIzBias, INDArray backwardHzKernel,
    INDArray backwardInKernel, INDArray backwardInBias, INDArray backwardHnKernel,
    INDArray backwardHnBias) {
  /** Fails unless each direction is a valid {@link GruParams} and both have the same sizes. */
  public BidirectionalGruParams {
    GruParams f = new GruParams(
        forwardIrKernel, forwardIrBias, forwardHrKernel,
        forwardIzKernel, forwardIzBias, forwardHzKernel,
        forwardInKernel, forwardInBias, forwardHnKernel,
        forwardHnBias);
    GruParams b = new GruParams(
        backwardIrKernel, backwardIrBias, backwardHrKernel,
        backwardIzKernel, backwardIzBias, backwardHzKernel,
        backwardInKernel, backwardInBias, backwardHnKernel,
        backwardHnBias);
    if (f.inFeatures() != b.inFeatures() || f.features() != b.features()) {
      throw new IllegalArgumentException(
          "bidirectional GRU: the backward cell (E = " + b.inFeatures() + ", H = " + b.features()
              + ") must have the sizes of the forward one (E = " + f.inFeatures() + ", H = "
              + f.features() + ")");
    }
  }

  /** The forward direction's parameters ({@code forward_rnn/cell}), over the same arrays. */
  public GruParams forward() {
    return new GruParams(
        forwardIrKernel, forwardIrBias, forwardHrKernel,
        forwardIzKernel, forwardIzBias, forwardHzKernel,
        forwardInKernel, forwardInBias, forwardHnKernel,
        forwardHnBias);
  }

  /** The backward direction's parameters ({@code backward_rnn/cell}), over the same arrays. */
  public GruParams backward() {
    return new GruParams(
        backwardIrKernel, backwardIrBias, backwardHrKernel,
        backwardIzKernel, backwardIzBias, backwardHzKernel,
        backwardInKernel, backwardInBias, backwardHnKernel,
        backwardHnBias);
  }

  /** {@code E}, the number of input features. */
  public long inputFeatures() {
    return forwardIrKernel.size(0);
  }

  /** {@code H}, the number of hidden features of each direction (the output has {@code 2H}). */
  public long hiddenFeatures() {
    return forwardIrKernel.size(1);
  }
}
