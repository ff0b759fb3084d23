package dev.kiln.runtime.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Flax's {@code nn.Bidirectional(nn.RNN(nn.GRUCell(H)), nn.RNN(nn.GRUCell(H)))} over batch-major
 * sequences {@code x [B, T, E]} with {@code seq_lengths}, merged by concatenation: each direction is
 * a {@link GruOps} run, the backward one on {@code x} reversed within each row's length ({@link
 * ReverseSteps}) with its outputs reversed back, exactly as {@link BidirectionalLstmOps} does for
 * LSTMs. In "last" mode the output {@code [B, 2H]} is the two final carries. At padded steps each
 * direction's output is what {@link GruOps} gives there (the row's final carry; Flax continues the
 * cell over the padding instead): the two agree at every real step.
 *
 * <p><b>Buffers.</b> As in {@link BidirectionalLstmOps}: every array C-ordered contiguous and of
 * one floating type; {@code gates [2, B, T, 3H]}, {@code hnPre [2, B, T, H]}, {@code hiddens [2, B,
 * T, H]} and {@code halves} hold the forward direction in slot 0, the backward one in slot 1;
 * {@code backward} overwrites {@code gates}, {@code hnPre} and {@code reversed}.
 */
public final class BidirectionalGruOps {
  private static final Bidirectional<GruParams> BOTH = new Bidirectional<>("bidirectional GRU", 3,
      new Bidirectional.Direction<>() {
        @Override
        public void forward(INDArray x, GruParams p, INDArray lengths, INDArray gates, INDArray state,
            INDArray hiddens, INDArray out) {
          GruOps.forward(x, p, lengths, null, gates, state, hiddens, out);
        }

        @Override
        public void backward(INDArray x, GruParams p, INDArray lengths, INDArray gates, INDArray state,
            INDArray hiddens, INDArray work, INDArray carry, INDArray dOut, INDArray dx, GruParams grads) {
          GruOps.backward(x, p, lengths, null, gates, state, hiddens, work, carry, dOut, dx, null, grads);
        }
      });

  private BidirectionalGruOps() {}

  /**
   * Runs both directions.
   *
   * @param x {@code [B, T, E]}
   * @param lengths {@code [B]} in {@code [0, T]}, any numeric type; {@code null} for all {@code T}
   * @param reversed {@code [B, T, E]} scratch: receives {@code x} reversed within the lengths
   * @param gates {@code [2, B, T, 3H]} scratch
   * @param hnPre {@code [2, B, T, H]} scratch
   * @param hiddens {@code [2, B, T, H]} scratch
   * @param halves {@code [2, B, T, H]} in "sequence" mode, {@code [2, B, H]} in "last" mode: each
   *     direction's output (the backward one in the input's time order)
   * @param out {@code [B, T, 2H]} ("sequence" mode) or {@code [B, 2H]} ("last" mode)
   */
  public static void forward(
      INDArray x, BidirectionalGruParams p, INDArray lengths, INDArray reversed, INDArray gates,
      INDArray hnPre, INDArray hiddens, INDArray halves, INDArray out) {
    BOTH.forward(x, p.forward(), p.backward(), p.inputFeatures(), p.hiddenFeatures(), lengths, reversed, gates,
        hnPre, hiddens, halves, out);
  }

  /**
   * The gradients of a scalar loss {@code L}, overwritten, not accumulated; the arrays are those of
   * the {@link #forward} call just made.
   *
   * @param work {@code [B, 3H]} scratch
   * @param carry scratch: {@code [B, H]}
   * @param dOut {@code dL/dout}, shaped like the forward {@code out}
   * @param dHalves scratch shaped like {@code halves}
   * @param dReversed {@code [B, T, E]} scratch; may be {@code null} when {@code dx} is
   * @param dx receives {@code dL/dx} {@code [B, T, E]}; {@code null} skips it
   * @param grads receives the gradients of both cells' parameters
   */
  public static void backward(
      INDArray x, BidirectionalGruParams p, INDArray lengths, INDArray reversed, INDArray gates,
      INDArray hnPre, INDArray hiddens, INDArray halves, INDArray work, INDArray carry, INDArray dOut,
      INDArray dHalves, INDArray dReversed, INDArray dx, BidirectionalGruParams grads) {
    if (grads.inputFeatures() != p.inputFeatures() || grads.hiddenFeatures() != p.hiddenFeatures()) {
      throw new IllegalArgumentException("bidirectional GRU grads must be shaped like the parameters (E = "
          + p.inputFeatures() + ", H = " + p.hiddenFeatures() + "), got E = " + grads.inputFeatures() + ", H = "
          + grads.hiddenFeatures());
    }
    BOTH.backward(x, p.forward(), p.backward(), p.inputFeatures(), p.hiddenFeatures(), lengths, reversed, gates,
        hnPre, hiddens, halves, work, carry, dOut, dHalves, dReversed, dx, grads.forward(), grads.backward());
  }
}
