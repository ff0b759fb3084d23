package dev.kiln.runtime.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
   * @param halves {@code [2, B, T, H]} in "sequence" mode, {@code [2, B, H]} in "last" mode:
   *     receives each direction's output (the backward one in the input's time order)
   * @param out {@code [B, T, 2H]} ("sequence" mode) or {@code [B, 2H]} ("last" mode)
   */
  public static void forward(
      INDArray x, BidirectionalGruParams p, INDArray lengths, INDArray reversed, INDArray gates,
      INDArray hnPre, INDArray hiddens, INDArray halves, INDArray out) {
    Dims d = Dims.of(x, p, reversed, gates, hnPre, hiddens, halves, out);
    ReverseSteps.reverse(x, lengths, reversed);
    GruOps.forward(x, p.forward(), lengths, null, slot(gates, 0), slot(hnPre, 0), slot(hiddens, 0), slot(halves, 0));
    INDArray bwdHiddens = slot(hiddens, 1);
    INDArray bwdHalf = slot(halves, 1);
    GruOps.forward(reversed, p.backward(), lengths, null, slot(gates, 1), slot(hnPre, 1), bwdHiddens, bwdHalf);
    if (d.sequence) {
      // the sequence output is the hiddens: turn them back to the input's time order
      ReverseSteps.reverse(bwdHiddens, lengths, bwdHalf);
    }
    half(out, 0, d).assign(slot(halves, 0));
    half(out, 1, d).assign(bwdHalf);
  }

  /**
   * The gradients of a scalar loss {@code L}, overwritten, not accumulated. {@code x, p, lengths}
   * and the scratch arrays are those of the {@link #forward} call just made.
   *
   * @param work {@code [B, 3H]} scratch
   * @param carry {@code [B, H]} scratch
   * @param dOut {@code dL/dout}, shaped like the forward {@code out}; any layout
   * @param dHalves scratch shaped like {@code halves}
   * @param dReversed {@code [B, T, E]} scratch; may be {@code null} when {@code dx} is
   * @param dx receives {@code dL/dx} {@code [B, T, E]}; {@code null} skips it
   * @param grads receives the gradients of the 20 parameters
   */
  public static void backward(
      INDArray x, BidirectionalGruParams p, INDArray lengths, INDArray reversed, INDArray gates,
      INDArray hnPre, INDArray hiddens, INDArray halves, INDArray work, INDArray carry, INDArray dOut,
      INDArray dHalves, INDArray dReversed, INDArray dx, BidirectionalGruParams grads) {
    Dims d = Dims.of(x, p, reversed, gates, hnPre, hiddens, halves, dOut);
    d.require("dHalves", dHalves, halves.shape());
    contiguous(dHalves, "dHalves");
    if (dx != null) {
      d.require("dx", dx, x.shape());
      contiguous(dx, "dx");
      if (dReversed == null) {
        throw new IllegalArgumentException("bidirectional GRU: dReversed is needed for dx");
      }
      d.require("dReversed", dReversed, x.shape());
      contiguous(dReversed, "dReversed");
    }
    if (grads.inputFeatures() != d.e || grads.hiddenFeatures() != d.h) {
      throw new IllegalArgumentException(
          "bidirectional GRU grads must be shaped like the parameters (E = " + d.e + ", H = " + d.h
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

    GruOps.backward(x, p.forward(), lengths, null, slot(gates, 0), slot(hnPre, 0), slot(hiddens, 0), work, carry,
        dFwd, dx, null, grads.forward());
    GruOps.backward(reversed, p.backward(), lengths, null, slot(gates, 1), slot(hnPre, 1), slot(hiddens, 1), work,
        carry, dBwd, dx == null ? null : dReversed, null, grads.backward());
    if (dx != null) {
      ReverseSteps.reverse(dReversed, lengths, reversed); // the reversed input is not needed any more
      dx.addi(reversed);
    }
  }

  /** Slot {@code k} of a C-ordered contiguous {@code [2, ...]} array, built from its buffer. */
  private static INDArray slot(INDArray a, int k) {
    long[] shape = Arrays.copyOfRange(a.shape(), 1, a.rank());
    long[] stride = Arrays.copyOfRange(a.stride(), 1, a.rank());
    return Nd4j.create(a.data(), shape, stride, a.offset() + k * a.stride(0), 'c', a.dataType());
  }

  /** Features {@code [k H, (k + 1) H)} of the merged output, in one {@code get}. */
  private static INDArray half(INDArray out, int k, Dims d) {
    return d.sequence
        ? out.get(all(), all(), interval(k * d.h, (k + 1) * d.h))
        : out.get(all(), interval(k * d.h, (k + 1) * d.h));
  }

  private static void contiguous(INDArray a, String what) {
    Reshapes.asMatrix(a, a.size(-1), "bidirectional GRU " + what);
  }

  /** The sizes and the mode, checked against every array. */
  private record Dims(long b, long t, long e, long h, boolean sequence, DataType type) {
    static Dims of(INDArray x, BidirectionalGruParams p, INDArray reversed, INDArray gates, INDArray hnPre,
        INDArray hiddens, INDArray halves, INDArray out) {
      if (x.rank() != 3 || x.size(2) != p.inputFeatures()) {
        throw new IllegalArgumentException("bidirectional GRU input must be [B, T, " + p.inputFeatures()
            + "], got " + Arrays.toString(x.shape()));
      }
      Dims d = new Dims(x.size(0), x.size(1), p.inputFeatures(), p.hiddenFeatures(), out.rank() == 3,
          x.dataType());
      d.require("reversed", reversed, d.b, d.t, d.e);
      d.require("gates", gates, 2, d.b, d.t, 3 * d.h);
      d.require("hnPre", hnPre, 2, d.b, d.t, d.h);
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
      contiguous(hnPre, "hnPre");
      contiguous(hiddens, "hiddens");
      contiguous(halves, "halves");
      return d;
    }

    void require(String what, INDArray a, long... shape) {
      if (!Arrays.equals(a.shape(), shape)) {
        throw new IllegalArgumentException("bidirectional GRU " + what + " must be " + Arrays.toString(shape)
            + ", got " + Arrays.toString(a.shape()));
      }
      if (a.dataType() != type) {
        throw new IllegalArgumentException(
            "bidirectional GRU " + what + " must be " + type + " like the input, got " + a.dataType());
      }
    }
  }
}
