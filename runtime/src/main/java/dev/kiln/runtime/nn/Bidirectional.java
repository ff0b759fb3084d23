package dev.kiln.runtime.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Flax's {@code nn.Bidirectional(nn.RNN(cell), nn.RNN(cell))} with {@code seq_lengths}, merged by
 * concatenation, for any recurrent cell run by a {@link Direction}: the forward direction runs on
 * {@code x}; the backward one ({@code reverse=True, keep_order=True}) on {@code x} reversed within
 * each row's length ({@link ReverseSteps}, which reverses the padding too, as Flax's {@code
 * flip_sequences}), and its outputs are reversed back, so that step {@code t} of the output is
 * {@code [h_fwd(t), h_bwd(t)]}. In "last" mode the output {@code [B, 2H]} is the two final states.
 *
 * <p><b>Buffers.</b> Every array C-ordered contiguous (offset views of an arena are fine) and of one
 * floating type. {@code gates [2, B, T, gH]}, {@code state [2, B, T, H]} (the cell's second per-step
 * buffer), {@code hiddens [2, B, T, H]} and {@code halves} ({@code [2, B, T, H]} or {@code [2, B,
 * H]}) hold the forward direction in slot 0 and the backward one in slot 1; {@code reversed [B, T,
 * E]} receives the reversed input. {@code backward} overwrites {@code gates}, {@code state} and
 * {@code reversed}: run {@code forward} again before another {@code backward}.
 *
 * @param <P> the cell's parameter record
 */
final class Bidirectional<P> {
  /** One direction: a cell run over a whole sequence, as {@link LstmOps} and {@link GruOps} do. */
  interface Direction<P> {
    void forward(INDArray x, P p, INDArray lengths, INDArray gates, INDArray state, INDArray hiddens, INDArray out);

    void backward(INDArray x, P p, INDArray lengths, INDArray gates, INDArray state, INDArray hiddens,
        INDArray work, INDArray carry, INDArray dOut, INDArray dx, P grads);
  }

  private final String name;
  private final int gates;
  private final Direction<P> cell;

  /**
   * @param name for messages, e.g. {@code bidirectional LSTM}
   * @param gates how many gates the cell computes together (the width of {@code gates} is {@code gates * H})
   */
  Bidirectional(String name, int gates, Direction<P> cell) {
    this.name = name;
    this.gates = gates;
    this.cell = cell;
  }

  /** Runs both directions; {@code e} and {@code h} are the cells' input and hidden sizes. */
  void forward(INDArray x, P forward, P backward, long e, long h, INDArray lengths, INDArray reversed,
      INDArray gateBuffer, INDArray state, INDArray hiddens, INDArray halves, INDArray out) {
    Dims d = dims(x, e, h, reversed, gateBuffer, state, hiddens, halves, out);
    ReverseSteps.reverse(x, lengths, reversed);
    cell.forward(x, forward, lengths, slot(gateBuffer, 0), slot(state, 0), slot(hiddens, 0), slot(halves, 0));
    INDArray bwdHiddens = slot(hiddens, 1);
    INDArray bwdHalf = slot(halves, 1);
    cell.forward(reversed, backward, lengths, slot(gateBuffer, 1), slot(state, 1), bwdHiddens, bwdHalf);
    if (d.sequence) {
      // every step's state, in the input's time order
      ReverseSteps.reverse(bwdHiddens, lengths, bwdHalf);
    }
    half(out, 0, d).assign(slot(halves, 0));
    half(out, 1, d).assign(bwdHalf);
  }

  /**
   * The gradients of a scalar loss, overwritten; the arrays are those of the {@link #forward} call
   * just made. {@code dReversed} may be null when {@code dx} is (no input cotangent).
   */
  void backward(INDArray x, P forward, P backward, long e, long h, INDArray lengths, INDArray reversed,
      INDArray gateBuffer, INDArray state, INDArray hiddens, INDArray halves, INDArray work, INDArray carry,
      INDArray dOut, INDArray dHalves, INDArray dReversed, INDArray dx, P forwardGrads, P backwardGrads) {
    Dims d = dims(x, e, h, reversed, gateBuffer, state, hiddens, halves, dOut);
    d.require("dHalves", dHalves, halves.shape());
    contiguous(dHalves, "dHalves");
    if (dx != null) {
      d.require("dx", dx, x.shape());
      contiguous(dx, "dx");
      if (dReversed == null) {
        throw new IllegalArgumentException(name + ": dReversed is needed for dx");
      }
      d.require("dReversed", dReversed, x.shape());
      contiguous(dReversed, "dReversed");
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
    cell.backward(x, forward, lengths, slot(gateBuffer, 0), slot(state, 0), slot(hiddens, 0), work, carry, dFwd,
        dx, forwardGrads);
    cell.backward(reversed, backward, lengths, slot(gateBuffer, 1), slot(state, 1), slot(hiddens, 1), work, carry,
        dBwd, dx == null ? null : dReversed, backwardGrads);
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
  private INDArray half(INDArray out, int k, Dims d) {
    return d.sequence
        ? out.get(all(), all(), interval(k * d.h, (k + 1) * d.h))
        : out.get(all(), interval(k * d.h, (k + 1) * d.h));
  }

  private void contiguous(INDArray a, String what) {
    Reshapes.asMatrix(a, a.size(-1), name + " " + what);
  }

  private Dims dims(INDArray x, long e, long h, INDArray reversed, INDArray gateBuffer, INDArray state,
      INDArray hiddens, INDArray halves, INDArray out) {
    if (x.rank() != 3 || x.size(2) != e) {
      throw new IllegalArgumentException(name + " input must be [B, T, " + e + "], got " + Arrays.toString(x.shape()));
    }
    Dims d = new Dims(x.size(0), x.size(1), h, out.rank() == 3, x.dataType());
    d.require("reversed", reversed, d.b, d.t, e);
    d.require("gates", gateBuffer, 2, d.b, d.t, gates * h);
    d.require("state", state, 2, d.b, d.t, h);
    d.require("hiddens", hiddens, 2, d.b, d.t, h);
    if (d.sequence) {
      d.require("sequence output", out, d.b, d.t, 2 * h);
      d.require("halves", halves, 2, d.b, d.t, h);
    } else {
      d.require("last output", out, d.b, 2 * h);
      d.require("halves", halves, 2, d.b, h);
    }
    contiguous(x, "input");
    contiguous(reversed, "reversed");
    contiguous(gateBuffer, "gates");
    contiguous(state, "state");
    contiguous(hiddens, "hiddens");
    contiguous(halves, "halves");
    return d;
  }

  /** The sizes and the mode, checked against every array. */
  private final class Dims {
    final long b;
    final long t;
    final long h;
    final boolean sequence;
    final DataType type;

    Dims(long b, long t, long h, boolean sequence, DataType type) {
      this.b = b;
      this.t = t;
      this.h = h;
      this.sequence = sequence;
      this.type = type;
    }

    void require(String what, INDArray a, long... shape) {
      if (!Arrays.equals(a.shape(), shape)) {
        throw new IllegalArgumentException(name + " " + what + " must be " + Arrays.toString(shape)
            + ", got " + Arrays.toString(a.shape()));
      }
      if (a.dataType() != type) {
        throw new IllegalArgumentException(name + " " + what + " must be " + type + " like the input, got " + a.dataType());
      }
    }
  }
}
