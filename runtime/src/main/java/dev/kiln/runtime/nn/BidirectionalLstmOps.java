package dev.kiln.runtime.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Flax's {@code nn.Bidirectional(nn.RNN(nn.LSTMCell(H)), nn.RNN(nn.LSTMCell(H)))} over
 * batch-major sequences {@code x [B, T, E]} with {@code seq_lengths}, merged by concatenation
 * (Flax's default {@code merge_fn}): each direction is an {@link LstmOps} run. The forward one runs
 * on {@code x}; the backward one ({@code reverse=True, keep_order=True}) on {@code x} reversed
 * within each row's length ({@link ReverseSteps}), and its outputs are reversed back, so that step
 * {@code t} of the output is {@code [h_fwd(t), h_bwd(t)]} with {@code h_bwd(t)} the state after
 * reading {@code x[L-1], ..., x[t]}. In "last" mode the output {@code [B, 2H]} is the two final
 * states: the forward {@code h} after step {@code L - 1}, and the backward {@code h} after it read
 * {@code x[0]} (what Flax returns as the carries). Padded steps behave as in {@link LstmOps} for each
 * direction, and as in Flax, where {@code flip_sequences} reverses the padding too.
 *
 * <p><b>Buffers.</b> The caller gives every array, of one floating type, each C-ordered contiguous
 * (offset views of an arena are fine). The scratch arrays {@code gates [2, B, T, 4H]}, {@code cells
 * [2, B, T, H]}, {@code hiddens [2, B, T, H]} and {@code halves} hold the forward direction in slot
 * 0 and the backward one in slot 1 (the backward slots in reversed time, except {@code halves});
 * {@code reversed [B, T, E]} receives the reversed input. {@code forward} writes them all and
 * {@code backward} consumes them, overwriting {@code gates}, {@code cells} and {@code reversed}: run
 * {@code forward} again before another {@code backward}.
 */
public final class BidirectionalLstmOps {
  private static final Bidirectional<LstmParams> BOTH = new Bidirectional<>("bidirectional LSTM", 4,
      new Bidirectional.Direction<>() {
        @Override
        public void forward(INDArray x, LstmParams p, INDArray lengths, INDArray gates, INDArray state,
            INDArray hiddens, INDArray out) {
          LstmOps.forward(x, p, lengths, gates, state, hiddens, out);
        }

        @Override
        public void backward(INDArray x, LstmParams p, INDArray lengths, INDArray gates, INDArray state,
            INDArray hiddens, INDArray work, INDArray carry, INDArray dOut, INDArray dx, LstmParams grads) {
          LstmOps.backward(x, p, lengths, gates, state, hiddens, work, carry, dOut, dx, grads);
        }
      });

  private BidirectionalLstmOps() {}

  /**
   * Runs both directions.
   *
   * @param x {@code [B, T, E]}
   * @param lengths {@code [B]} in {@code [0, T]}, any numeric type; {@code null} for all {@code T}
   * @param reversed {@code [B, T, E]} scratch: receives {@code x} reversed within the lengths
   * @param gates {@code [2, B, T, 4H]} scratch
   * @param cells {@code [2, B, T, H]} scratch
   * @param hiddens {@code [2, B, T, H]} scratch
   * @param halves {@code [2, B, T, H]} in "sequence" mode, {@code [2, B, H]} in "last" mode: each
   *     direction's output (the backward one in the input's time order)
   * @param out {@code [B, T, 2H]} ("sequence" mode) or {@code [B, 2H]} ("last" mode)
   */
  public static void forward(
      INDArray x, BidirectionalLstmParams p, INDArray lengths, INDArray reversed, INDArray gates,
      INDArray cells, INDArray hiddens, INDArray halves, INDArray out) {
    BOTH.forward(x, p.forward(), p.backward(), p.inputFeatures(), p.hiddenFeatures(), lengths, reversed, gates,
        cells, hiddens, halves, out);
  }

  /**
   * The gradients of a scalar loss {@code L}, overwritten, not accumulated; the arrays are those of
   * the {@link #forward} call just made.
   *
   * @param work {@code [B, 4H]} scratch
   * @param carry scratch: {@code [B, 2H]}
   * @param dOut {@code dL/dout}, shaped like the forward {@code out}
   * @param dHalves scratch shaped like {@code halves}
   * @param dReversed {@code [B, T, E]} scratch; may be {@code null} when {@code dx} is
   * @param dx receives {@code dL/dx} {@code [B, T, E]}; {@code null} skips it
   * @param grads receives the gradients of both cells' parameters
   */
  public static void backward(
      INDArray x, BidirectionalLstmParams p, INDArray lengths, INDArray reversed, INDArray gates,
      INDArray cells, INDArray hiddens, INDArray halves, INDArray work, INDArray carry, INDArray dOut,
      INDArray dHalves, INDArray dReversed, INDArray dx, BidirectionalLstmParams grads) {
    if (grads.inputFeatures() != p.inputFeatures() || grads.hiddenFeatures() != p.hiddenFeatures()) {
      throw new IllegalArgumentException("bidirectional LSTM grads must be shaped like the parameters (E = "
          + p.inputFeatures() + ", H = " + p.hiddenFeatures() + "), got E = " + grads.inputFeatures() + ", H = "
          + grads.hiddenFeatures());
    }
    BOTH.backward(x, p.forward(), p.backward(), p.inputFeatures(), p.hiddenFeatures(), lengths, reversed, gates,
        cells, hiddens, halves, work, carry, dOut, dHalves, dReversed, dx, grads.forward(), grads.backward());
  }
}
