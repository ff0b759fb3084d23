package dev.kiln.runtime.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * C-order arrays laid out in a flat scratch buffer. Built directly on the buffer: ND4J
 * 1.0.0-M2.1's {@code get} on a view with a nonzero offset can return an empty array, so slots are
 * not taken with {@code get(interval(..)).reshape(..)}.
 */
final class ScratchView {
  private ScratchView() {}

  /** The C-order array of {@code shape} starting {@code offset} elements into {@code buffer}. */
  static INDArray of(INDArray buffer, long offset, long... shape) {
    return Nd4j.create(buffer.data(), shape, cStrides(shape), buffer.offset() + offset, 'c');
  }

  private static long[] cStrides(long[] shape) {
    long[] st = new long[shape.length];
    long acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      st[i] = acc;
      acc *= shape[i];
    }
    return st;
  }

  static long length(long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
