package dev.kiln.runtime.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of Flax's {@code nn.Bidirectional(nn.RNN(nn.LSTMCell(H)), nn.RNN(nn.LSTMCell(H)))}
 * on inputs of {@code E} features: the twelve {@link LstmParams} of the forward direction
 * ({@code params/forward_rnn/cell/...}), then the twelve of the backward one ({@code
 * params/backward_rnn/cell/...}), each in {@link LstmParams}' order. {@link BidirectionalLstmOps}
 * runs them. The two cells must have the same {@code E} and {@code H}.
 *
 * @param forwardIiKernel {@code params/forward_rnn/cell/ii/kernel}
 * @param forwardHiKernel {@code params/forward_rnn/cell/hi/kernel}
 * @param forwardHiBias {@code params/forward_rnn/cell/hi/bias}
 * @param forwardIfKernel {@code params/forward_rnn/cell/if/kernel}
 * @param forwardHfKernel {@code params/forward_rnn/cell/hf/kernel}
 * @param forwardHfBias {@code params/forward_rnn/cell/hf/bias}
 * @param forwardIgKernel {@code params/forward_rnn/cell/ig/kernel}
 * @param forwardHgKernel {@code params/forward_rnn/cell/hg/kernel}
 * @param forwardHgBias {@code params/forward_rnn/cell/hg/bias}
 * @param forwardIoKernel {@code params/forward_rnn/cell/io/kernel}
 * @param forwardHoKernel {@code params/forward_rnn/cell/ho/kernel}
 * @param forwardHoBias {@code params/forward_rnn/cell/ho/bias}
 * @param backwardIiKernel {@code params/backward_rnn/cell/ii/kernel}
 * @param backwardHiKernel {@code params/backward_rnn/cell/hi/kernel}
 * @param backwardHiBias {@code params/backward_rnn/cell/hi/bias}
 * @param backwardIfKernel {@code params/backward_rnn/cell/if/kernel}
 * @param backwardHfKernel {@code params/backward_rnn/cell/hf/kernel}
 * @param backwardHfBias {@code params/backward_rnn/cell/hf/bias}
 * @param backwardIgKernel {@code params/backward_rnn/cell/ig/kernel}
 * @param backwardHgKernel {@code params/backward_rnn/cell/hg/kernel}
 * @param backwardHgBias {@code params/backward_rnn/cell/hg/bias}
 * @param backwardIoKernel {@code params/backward_rnn/cell/io/kernel}
 * @param backwardHoKernel {@code params/backward_rnn/cell/ho/kernel}
 * @param backwardHoBias {@code params/backward_rnn/cell/ho/bias}
 */
public record BidirectionalLstmParams(
    INDArray forwardIiKernel, INDArray forwardHiKernel, INDArray forwardHiBias,
    INDArray forwardIfKernel, INDArray forwardHfKernel, INDArray forwardHfBias,
    INDArray forwardIgKernel, INDArray forwardHgKernel, INDArray forwardHgBias,
    INDArray forwardIoKernel, INDArray forwardHoKernel, INDArray forwardHoBias,
    INDArray backwardIiKernel, INDArray backwardHiKernel, INDArray backwardHiBias,
    INDArray backwardIfKernel, INDArray backwardHfKernel, INDArray backwardHfBias,
    INDArray backwardIgKernel, INDArray backwardHgKernel, INDArray backwardHgBias,
    INDArray backwardIoKernel, INDArray backwardHoKernel, INDArray backwardHoBias) {
  /** Fails unless each direction is a valid {@link LstmParams} and both have the same sizes. */
  public BidirectionalLstmParams {
    LstmParams f = new LstmParams(
        forwardIiKernel, forwardHiKernel, forwardHiBias,
        forwardIfKernel, forwardHfKernel, forwardHfBias,
        forwardIgKernel, forwardHgKernel, forwardHgBias,
        forwardIoKernel, forwardHoKernel, forwardHoBias);
    LstmParams b = new LstmParams(
        backwardIiKernel, backwardHiKernel, backwardHiBias,
        backwardIfKernel, backwardHfKernel, backwardHfBias,
        backwardIgKernel, backwardHgKernel, backwardHgBias,
        backwardIoKernel, backwardHoKernel, backwardHoBias);
    if (f.inputFeatures() != b.inputFeatures() || f.hiddenFeatures() != b.hiddenFeatures()) {
      throw new IllegalArgumentException(
          "bidirectional LSTM: the backward cell (E = " + b.inputFeatures() + ", H = " + b.hiddenFeatures()
              + ") must have the sizes of the forward one (E = " + f.inputFeatures() + ", H = "
              + f.hiddenFeatures() + ")");
    }
  }

  /** The forward direction's parameters ({@code forward_rnn/cell}), over the same arrays. */
  public LstmParams forward() {
    return new LstmParams(
        forwardIiKernel, forwardHiKernel, forwardHiBias,
        forwardIfKernel, forwardHfKernel, forwardHfBias,
        forwardIgKernel, forwardHgKernel, forwardHgBias,
        forwardIoKernel, forwardHoKernel, forwardHoBias);
  }

  /** The backward direction's parameters ({@code backward_rnn/cell}), over the same arrays. */
  public LstmParams backward() {
    return new LstmParams(
        backwardIiKernel, backwardHiKernel, backwardHiBias,
        backwardIfKernel, backwardHfKernel, backwardHfBias,
        backwardIgKernel, backwardHgKernel, backwardHgBias,
        backwardIoKernel, backwardHoKernel, backwardHoBias);
  }

  /** {@code E}, the number of input features. */
  public long inputFeatures() {
    return forwardIiKernel.size(0);
  }

  /** {@code H}, the number of hidden features of each direction (the output has {@code 2H}). */
  public long hiddenFeatures() {
    return forwardIiKernel.size(1);
  }
}
