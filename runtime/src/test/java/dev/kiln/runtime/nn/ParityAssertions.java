package dev.kiln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Comparisons against Flax's reference numbers. */
final class ParityAssertions {
  /** Parity tolerance on outputs (relative). */
  static final double OUTPUT_TOL = 1e-5;

  /** Parity tolerance on gradients (relative). */
  static final double GRAD_TOL = 1e-4;

  private ParityAssertions() {}

  /**
   * Asserts {@code max|actual - expected| <= tol * max|expected|} (the error normalised by the
   * reference's scale, so that entries near zero are judged on the scale of the whole array).
   */
  static void assertClose(String what, INDArray expected, INDArray actual, double tol) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    INDArray e = expected.castTo(DataType.DOUBLE);
    INDArray a = actual.castTo(DataType.DOUBLE);
    double scale = Math.max(e.amaxNumber().doubleValue(), 1e-30);
    double err = Transforms.abs(a.sub(e)).maxNumber().doubleValue() / scale;
    assertTrue(err <= tol, what + ": normalised error " + err + " > " + tol);
  }
}
