package dev.kiln.runtime.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.runtime.io.NpyArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Comparisons of Java draws with the Flax fixtures: bit for bit, or within a tolerance. */
final class Fixtures {
  private Fixtures() {}

  /** Asserts shape and every float32 bit pattern, reporting how many differ and the first. */
  static void assertBitExact(NpyArray expected, INDArray actual, String what) {
    assertEquals(DataType.FLOAT, actual.dataType(), what + " dtype");
    assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
    float[] e = expected.toFloats();
    float[] a = actual.dup('c').data().asFloat();
    int differ = 0;
    int first = -1;
    for (int i = 0; i < e.length; i++) {
      if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
        differ++;
        if (first < 0) {
          first = i;
        }
      }
    }
    if (differ > 0) {
      throw new AssertionError(what + ": " + differ + " of " + e.length + " values differ; first at " + first
          + ": expected " + e[first] + " but was " + a[first]);
    }
  }

  /** Asserts shape and {@code |actual - expected| <= tolerance} elementwise. */
  static void assertClose(NpyArray expected, INDArray actual, double tolerance, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
    float[] e = expected.toFloats();
    float[] a = actual.dup('c').data().asFloat();
    for (int i = 0; i < e.length; i++) {
      if (!(Math.abs(e[i] - a[i]) <= tolerance)) {
        throw new AssertionError(what + "[" + i + "]: expected " + e[i] + " but was " + a[i]);
      }
    }
  }
}
