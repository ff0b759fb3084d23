package dev.kiln.runtime.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Views of arrays under another shape, never copies: writes into a view land in the original. */
public final class Reshapes {
  private Reshapes() {}

  /**
   * {@code a} of shape {@code (d0, ..., dk, cols)} viewed as the matrix {@code [d0*...*dk, cols]},
   * as Flax's {@code Dense} treats all leading axes as a batch. A rank-2 array is returned as is;
   * a higher-rank one must be laid out contiguously in C order (as generated code allocates
   * every buffer), otherwise a reshape would copy and results written into it would be lost.
   *
   * @throws IllegalArgumentException if the last axis is not {@code cols} or no view exists
   */
  public static INDArray asMatrix(INDArray a, long cols, String what) {
    if (a.rank() < 2 || a.size(-1) != cols) {
      throw new IllegalArgumentException(
          what + " must have shape (..., " + cols + ") of rank >= 2, got " + Arrays.toString(a.shape()));
    }
    if (a.rank() == 2) {
      return a;
    }
    if (!isContiguousC(a)) {
      throw new IllegalArgumentException(
          what + " of rank " + a.rank() + " must be a C-ordered contiguous array to be viewed as a matrix");
    }
    return a.reshape('c', true, a.length() / cols, cols);
  }

  /**
   * Whether {@code a}'s elements lie in C order without gaps. The stride of an axis of size 1 does
   * not matter (ND4J's {@code Shape.hasDefaultStridesForShape} rejects a fresh {@code [3, 1, 4]}
   * array, strides {@code [4, 4, 1]}).
   */
  private static boolean isContiguousC(INDArray a) {
    long expected = 1;
    for (int i = a.rank() - 1; i >= 0; i--) {
      if (a.size(i) != 1 && a.stride(i) != expected) {
        return false;
      }
      expected *= a.size(i);
    }
    return true;
  }
}
