package dev.kiln.runtime.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
   * @param halves {@code [2, B, T, H]} in "sequence" mode, {@code [2, B, H]} in "last" mode:
   *     receives each direction's output (the backward one in the input's time order)
   * @param out {@code [B, T, 2H]} ("sequence" mode): every step's {@code [h_fwd, h_bwd]}; or {@code
   *     [B, 2H]} ("last" mode): the two final states
   */
  public static void forward(
      INDArray x, BidirectionalLstmParams p, INDArray lengths, INDArray reversed, INDArray gates,
      INDArray cells, INDArray hiddens, INDArray halves, INDArray out) {
    Dims d = Dims.of(x, p, reversed, gates, cells, hiddens, halves, out);
    ReverseSteps.reverse(x, lengths, reversed);
    LstmOps.forward(x, p.forward(), lengths, slot(gates, 0), slot(cells, 0), slot(hiddens, 0), slot(halves, 0));
    INDArray bwdHiddens = slot(hiddens, 1);
    INDArray bwdHalf = slot(halves, 1);
    if (d.sequence) {
      LstmOps.forward(reversed, p.backward(), lengths, slot(gates, 1), slot(cells, 1), bwdHiddens, bwdHiddens);
      ReverseSteps.reverse(bwdHiddens, lengths, bwdHalf);
    } else {
      LstmOps.forward(reversed, p.backward(), lengths, slot(gates, 1), slot(cells, 1), bwdHiddens, bwdHalf);
    }
    half(out, 0, d).assign(slot(halves, 0));
    half(out, 1, d).assign(bwdHalf);
  }

  /**
   * The gradients of a scalar loss {@code L}, overwritten, not accumulated. {@code x, p, lengths}
   * and the scratch arrays are those of the {@link #forward} call just made.
   *
   * @param work {@code [B, 4H]} scratch
   * @param carry {@code [B, 2H]} scratch
   * @param dOut {@code dL/dout}, shaped like the forward {@code out} (which selects the mode); any
   *     layout
   * @param dHalves scratch shaped like {@code halves}
   * @param dReversed {@code [B, T, E]} scratch; may be {@code null} when {@code dx} is
   * @param dx receives {@code dL/dx} {@code [B, T, E]}; {@code null} skips it
   * @param grads receives the gradients of the 24 parameters
   */
  public static void backward(
      INDArray x, BidirectionalLstmParams p, INDArray lengths, INDArray reversed, INDArray gates,
      INDArray cells, INDArray hiddens, INDArray halves, INDArray work, INDArray carry, INDArray dOut,
      INDArray dHalves, INDArray dReversed, INDArray dx, BidirectionalLstmParams grads) {
    Dims d = Dims.of(x, p, reversed, gates, cells, hiddens, halves, dOut);
    d.require("dHalves", dHalves, halves.shape());
    contiguous(dHalves, "dHalves");
    if (dx != null) {
      d.require("dx", dx, x.shape());
      contiguous(dx, "dx");
      if (dReversed == null) {
        throw new IllegalArgumentException("bidirectional LSTM: dReversed is needed for dx");
      }
      d.require("dReversed", dReversed, x.shape());
      contiguous(dReversed, "dReversed");
    }
    if (grads.inputFeatures() != d.e || grads.hiddenFeatures() != d.h) {
      throw new IllegalArgumentException(
          "bidirectional LSTM grads must be shaped like the parameters (E = " + d.e + ", H = " + d.h
              + "), got E = " + grads.inputFeatures() + ", H = " + grads.hiddenFeatures());
    }
    INDArray dFwd = slot(dHalves, 0);
    INDArray dBwd = slot(dHalves, 1);
    if (d.sequence) {
      // the backward direction's output gradient in its own (reversed) time, staged in slot 0
      dFwd.assign(half(dOut, 1, d));
      ReverseSteps.reverse(dFwd, lengths, dBwd);
    } else {
      dBwd.assign(half(dOut, 1, d));
    }
    dFwd.assign(half(dOut, 0, d));

    LstmOps.backward(x, p.forward(), lengths, slot(gates, 0), slot(cells, 0), slot(hiddens, 0), work, carry,
        dFwd, dx, grads.forward());
    LstmOps.backward(reversed, p.backward(), lengths, slot(gates, 1), slot(cells, 1), slot(hiddens, 1), work,
        carry, dBwd, dx == null ? null : dReversed, grads.backward());
    if (dx != null) {
      ReverseSteps.reverse(dReversed, lengths, reversed); // the reversed input is not needed any more
      dx.addi(reversed);
    }
  }

  /**
   * Slot {@code k} of a C-ordered contiguous {@code [2, ...]} array, built from its buffer: a
   * contiguous view (ND4J's {@code get} on offset views is not to be trusted).
   */
  private static INDArray slot(INDArray a, int k) {
    long[] shape = Arrays.copyOfRange(a.shape(), 1, a.rank());
    long[] stride = Arrays.copyOfRange(a.stride(), 1, a.rank());
    return Nd4j.create(a.data(), shape, stride, a.offset() + k * a.stride(0), 'c', a.dataType());
  }

  /** Features {@code [k H, (k + 1) H)} of the merged output: one direction's columns, in one {@code get}. */
  private static INDArray half(INDArray out, int k, Dims d) {
    return d.sequence
        ? out.get(all(), all(), interval(k * d.h, (k + 1) * d.h))
        : out.get(all(), interval(k * d.h, (k + 1) * d.h));
  }

  private static void contiguous(INDArray a, String what) {
    Reshapes.asMatrix(a, a.size(-1), "bidirectional LSTM " + what);
  }

  /** The sizes and the mode, checked against every array. */
  private record Dims(long b, long t, long e, long h, boolean sequence, DataType type) {
    static Dims of(INDArray x, BidirectionalLstmParams p, INDArray reversed, INDArray gates, INDArray cells,
        INDArray hiddens, INDArray halves, INDArray out) {
      if (x.rank() != 3 || x.size(2) != p.inputFeatures()) {
        throw new IllegalArgumentException("bidirectional LSTM input must be [B, T, " + p.inputFeatures()
            + "], got " + Arrays.toString(x.shape()));
      }
      Dims d = new Dims(x.size(0), x.size(1), p.inputFeatures(), p.hiddenFeatures(), out.rank() == 3,
          x.dataType());
      d.require("reversed", reversed, d.b, d.t, d.e);
      d.require("gates", gates, 2, d.b, d.t, 4 * d.h);
      d.require("cells", cells, 2, d.b, d.t, d.h);
      d.require("hiddens", hiddens, 2, d.b, d.t, d.h);
      if (d.sequence) {
        d.require("sequence output", out, d.b, d.t, 2 * d.h);
        d.require("halves", halves, 2, d.b, d.t, d.h);
      } else {
        d.require("last output", out, d.b, 2 * d.h);
        d.require("halves", halves, 2, d.b, d.h);
      }
      contiguous(x, "input");
      contiguous(reversed, "reversed");
      contiguous(gates, "gates");
      contiguous(cells, "cells");
      contiguous(hiddens, "hiddens");
      contiguous(halves, "halves");
      return d;
    }

    void require(String what, INDArray a, long... shape) {
      if (!Arrays.equals(a.shape(), shape)) {
        throw new IllegalArgumentException("bidirectional LSTM " + what + " must be " + Arrays.toString(shape)
            + ", got " + Arrays.toString(a.shape()));
      }
      if (a.dataType() != type) {
        throw new IllegalArgumentException(
            "bidirectional LSTM " + what + " must be " + type + " like the input, got " + a.dataType());
      }
    }
  }
}
