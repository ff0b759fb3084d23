package dev.kiln.runtime.nn;

import static dev.kiln.runtime.nn.ParityAssertions.GRAD_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.OUTPUT_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.kiln.runtime.testing.GradientCheck;
import dev.kiln.runtime.testing.Parity;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PoolOpsTest {
  /** One pooling of a fixture: its output is a block of columns of the flattened, concatenated y. */
  record Pool(boolean max, int k, int s, Padding padding, boolean countIncludePad) {
    long[] forward(INDArray x, INDArray out) {
      int[] w = {k, k};
      int[] st = {s, s};
      if (max) {
        PoolOps.maxForward(x, w, st, padding, out);
      } else {
        PoolOps.avgForward(x, w, st, padding, countIncludePad, out);
      }
      return out.shape();
    }

    void backward(INDArray x, INDArray dOut, INDArray dx) {
      int[] w = {k, k};
      int[] st = {s, s};
      if (max) {
        PoolOps.maxBackward(x, w, st, padding, dOut, dx);
      } else {
        PoolOps.avgBackward(x, w, st, padding, countIncludePad, dOut, dx);
      }
    }

    long[] outShape(long[] xShape) {
      return PoolOps.outputShape(xShape, new int[] {k, k}, new int[] {s, s}, padding);
    }
  }

  /**
   * {@code y = concat(flatten(pool_i(x)))}, {@code grad_x = sum_i dpool_i(ct_i)}: checks every pool
   * of a fixture at once.
   */
  private static void assertMatches(Parity p, String c, Pool... pools) {
    INDArray x = p.get(c + "/x");
    INDArray y = p.get(c + "/y");
    INDArray ct = p.get(c + "/ct");
    long n = x.size(0);
    INDArray dxSum = Nd4j.zeros(DataType.FLOAT, x.shape());
    long col = 0;
    for (Pool pool : pools) {
      long[] shape = pool.outShape(x.shape());
      long width = shape[1] * shape[2] * shape[3];
      INDArray out = Nd4j.valueArrayOf(shape, Double.NaN, DataType.FLOAT);
      pool.forward(x, out);
      assertClose(c + "/y " + pool, y.get(all(), interval(col, col + width)), out.reshape(n, width), OUTPUT_TOL);
      INDArray dOut = ct.get(all(), interval(col, col + width)).dup().reshape(shape);
      INDArray dx = Nd4j.valueArrayOf(x.shape(), Double.NaN, DataType.FLOAT);
      pool.backward(x, dOut, dx);
      dxSum.addi(dx);
      col += width;
    }
    assertClose(c + "/grad_x", p.get(c + "/grad_x"), dxSum, GRAD_TOL);
  }

  @Test
  void matchesFlaxPools() {
    assertMatches(Parity.ops(), "pools",
        new Pool(true, 2, 2, Padding.VALID, true),
        new Pool(false, 2, 2, Padding.VALID, true),
        new Pool(true, 3, 2, Padding.SAME, true));
  }

  @Test
  void matchesFlaxAvgPoolSameWithAndWithoutPaddingCounted() {
    assertMatches(Parity.ops2(), "avg_pool_same",
        new Pool(false, 3, 2, Padding.SAME, true),
        new Pool(false, 3, 2, Padding.SAME, false));
  }

  static Stream<Arguments> gradientCases() {
    return Stream.of(
        Arguments.of(new Pool(true, 2, 2, Padding.VALID, true), new long[] {2, 6, 6, 2}),
        Arguments.of(new Pool(true, 3, 2, Padding.SAME, true), new long[] {2, 6, 5, 2}),
        Arguments.of(new Pool(true, 3, 1, Padding.SAME, true), new long[] {1, 5, 5, 2}),
        Arguments.of(new Pool(false, 2, 2, Padding.VALID, true), new long[] {2, 6, 6, 2}),
        Arguments.of(new Pool(false, 3, 2, Padding.SAME, true), new long[] {2, 5, 6, 2}),
        Arguments.of(new Pool(false, 3, 2, Padding.SAME, false), new long[] {2, 5, 6, 2}),
        Arguments.of(new Pool(false, 3, 1, Padding.VALID, true), new long[] {1, 5, 5, 2}));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("gradientCases")
  void gradientMatchesFiniteDifferences(Pool pool, long[] xShape) {
    long[] yShape = pool.outShape(xShape);
    GradientCheck.of(Map.of("x", GradientCheck.randn(51, xShape)))
        .check(
            p -> {
              INDArray y = Nd4j.create(DataType.DOUBLE, yShape);
              pool.forward(p.get("x"), y);
              return y;
            },
            (p, ct) -> {
              INDArray dx = Nd4j.valueArrayOf(xShape, 7.0, DataType.DOUBLE);
              pool.backward(p.get("x"), ct, dx);
              return Map.of("x", dx);
            });
  }

  @Test
  void rejectsExplicitPaddingAndWrongShapes() {
    INDArray x = Nd4j.create(DataType.DOUBLE, 1, 4, 4, 1);
    int[] two = {2, 2};
    assertThrows(IllegalArgumentException.class,
        () -> PoolOps.maxForward(x, two, two, Padding.explicit(1, 1, 1, 1), Nd4j.create(DataType.DOUBLE, 1, 3, 3, 1)));
    assertThrows(IllegalArgumentException.class,
        () -> PoolOps.avgForward(x, two, two, Padding.VALID, true, Nd4j.create(DataType.DOUBLE, 1, 3, 3, 1)));
    assertThrows(IllegalArgumentException.class,
        () -> PoolOps.maxBackward(x, two, two, Padding.VALID, Nd4j.create(DataType.DOUBLE, 1, 2, 2, 1),
            Nd4j.create(DataType.DOUBLE, 1, 2, 2, 1)));
  }
}
