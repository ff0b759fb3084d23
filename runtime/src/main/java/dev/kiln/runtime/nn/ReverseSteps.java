package dev.kiln.runtime.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Flax's {@code flip_sequences}: reverses each batch-major sequence within its length, as
 * Flax's {@code nn.RNN(..., reverse=True, keep_order=True)} (the backward direction of {@code
 * nn.Bidirectional}) does to its inputs and, again, to its outputs. Row {@code b} of length {@code
 * L} becomes {@code x[L-1], ..., x[0]}, followed by its padded steps {@code x[T-1], ..., x[L]}: the
 * padding stays at the end and, exactly as in Flax ({@code flip(roll(x, T - L))}), is itself
 * reversed. The map is its own inverse, so it also turns a gradient back.
 */
public final class ReverseSteps {
  private ReverseSteps() {}

  /**
   * {@code out[b, t] = x[b, src]} with {@code src = L - 1 - t} for {@code t < L} and {@code src = T
   * - 1 - (t - L)} for a padded step {@code t >= L}, {@code L = lengths[b]}.
   *
   * @param x {@code [B, T, F]}, C-ordered contiguous
   * @param lengths {@code [B]} in {@code [0, T]}, any numeric type; {@code null} for all {@code T}
   *     (a plain reversal of the time axis)
   * @param out {@code [B, T, F]} of {@code x}'s type, C-ordered contiguous, not {@code x} nor
   *     overlapping it
   */
  public static void reverse(INDArray x, INDArray lengths, INDArray out) {
    if (x.rank() != 3) {
      throw new IllegalArgumentException("reversed sequences must be [B, T, F], got " + Arrays.toString(x.shape()));
    }
    if (!Arrays.equals(x.shape(), out.shape()) || x.dataType() != out.dataType()) {
      throw new IllegalArgumentException("reversed sequences: out must be " + Arrays.toString(x.shape()) + " "
          + x.dataType() + " like x, got " + Arrays.toString(out.shape()) + " " + out.dataType());
    }
    if (x == out || (x.data() == out.data() && x.offset() == out.offset())) {
      throw new IllegalArgumentException("reversed sequences: out must not be x");
    }
    int b = Math.toIntExact(x.size(0));
    int t = Math.toIntExact(x.size(1));
    long f = x.size(2);
    int[] len = lengths(lengths, b, t);
    int[] rows = new int[b * t];
    for (int r = 0; r < b; r++) {
      for (int s = 0; s < t; s++) {
        rows[r * t + s] = r * t + (s < len[r] ? len[r] - 1 - s : t - 1 - (s - len[r]));
      }
    }
    if (rows.length == 0) {
      return;
    }
    Nd4j.exec(
        DynamicCustomOp.builder("gather")
            .addInputs(Reshapes.asMatrix(x, f, "reversed sequences input"), Nd4j.createFromArray(rows))
            .addOutputs(Reshapes.asMatrix(out, f, "reversed sequences output"))
            .addIntegerArguments(0)
            .build());
  }

  /** The lengths as integers in {@code [0, T]}; all {@code T} for {@code null}. */
  static int[] lengths(INDArray lengths, int b, int t) {
    int[] len = new int[b];
    if (lengths == null) {
      Arrays.fill(len, t);
      return len;
    }
    if (lengths.rank() != 1 || lengths.length() != b) {
      throw new IllegalArgumentException(
          "sequence lengths must be [" + b + "], got " + Arrays.toString(lengths.shape()));
    }
    double[] v = lengths.toDoubleVector();
    for (int r = 0; r < b; r++) {
      if (!(v[r] >= 0 && v[r] <= t && v[r] == Math.rint(v[r]))) {
        throw new IllegalArgumentException(
            "sequence length " + v[r] + " of row " + r + " is not an integer in [0, " + t + "]");
      }
      len[r] = (int) v[r];
    }
    return len;
  }
}
