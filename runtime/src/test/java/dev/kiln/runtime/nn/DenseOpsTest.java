package dev.kiln.runtime.nn;

import static dev.kiln.runtime.nn.ParityAssertions.GRAD_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.OUTPUT_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.kiln.runtime.testing.GradientCheck;
import dev.kiln.runtime.testing.Parity;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DenseOpsTest {
  private static final Parity P = Parity.ops();

  @Test
  void matchesFlaxDense() {
    INDArray x = P.get("dense/x");
    INDArray kernel = P.get("dense/params/kernel");
    INDArray bias = P.get("dense/params/bias");
    INDArray ct = P.get("dense/ct");
    assertEquals(DataType.FLOAT, x.dataType());

    INDArray y = Nd4j.valueArrayOf(new long[] {3, 5}, Double.NaN, DataType.FLOAT);
    DenseOps.forward(x, kernel, bias, y);
    assertClose("y", P.get("dense/y"), y, OUTPUT_TOL);

    INDArray dx = Nd4j.create(DataType.FLOAT, 3, 4);
    INDArray dKernel = Nd4j.create(DataType.FLOAT, 4, 5);
    INDArray dBias = Nd4j.create(DataType.FLOAT, 5);
    DenseOps.backward(x, kernel, ct, dx, dKernel, dBias);
    assertClose("grad/kernel", P.get("dense/grad/kernel"), dKernel, GRAD_TOL);
    assertClose("grad/bias", P.get("dense/grad/bias"), dBias, GRAD_TOL);
    assertClose("grad_x", P.get("dense/grad_x"), dx, GRAD_TOL);
  }

  @Test
  void gradientsOfRank2InputMatchFiniteDifferences() {
    checkGradients(new long[] {3, 4}, 4, 5, true);
  }

  @Test
  void gradientsOfRank4InputMatchFiniteDifferences() {
    checkGradients(new long[] {2, 3, 2, 4}, 4, 3, true);
  }

  @Test
  void gradientsWithoutBiasMatchFiniteDifferences() {
    checkGradients(new long[] {2, 2, 3}, 3, 2, false);
  }

  private static void checkGradients(long[] xShape, int in, int out, boolean useBias) {
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    inputs.put("x", GradientCheck.randn(1, xShape));
    inputs.put("kernel", GradientCheck.randn(2, in, out));
    if (useBias) {
      inputs.put("bias", GradientCheck.randn(3, out));
    }
    long[] yShape = xShape.clone();
    yShape[yShape.length - 1] = out;
    GradientCheck.of(inputs)
        .check(
            p -> {
              INDArray y = Nd4j.create(DataType.DOUBLE, yShape);
              DenseOps.forward(p.get("x"), p.get("kernel"), p.get("bias"), y);
              return y;
            },
            (p, ct) -> {
              Map<String, INDArray> g = new LinkedHashMap<>();
              g.put("x", Nd4j.create(DataType.DOUBLE, xShape));
              g.put("kernel", Nd4j.create(DataType.DOUBLE, in, out));
              if (useBias) {
                g.put("bias", Nd4j.create(DataType.DOUBLE, out));
              }
              DenseOps.backward(p.get("x"), p.get("kernel"), ct, g.get("x"), g.get("kernel"), g.get("bias"));
              return g;
            });
  }

  @Test
  void writesIntoTheGivenArraysAndOverwritesThem() {
    INDArray x = GradientCheck.randn(4, 2, 3, 4);
    INDArray kernel = GradientCheck.randn(5, 4, 6);
    INDArray bias = GradientCheck.randn(6, 6);
    INDArray ct = GradientCheck.randn(7, 2, 3, 6);

    // Garbage in every output: results must overwrite, not accumulate.
    INDArray y = Nd4j.valueArrayOf(new long[] {2, 3, 6}, 7.0, DataType.DOUBLE);
    INDArray dx = Nd4j.valueArrayOf(new long[] {2, 3, 4}, 7.0, DataType.DOUBLE);
    INDArray dKernel = Nd4j.valueArrayOf(new long[] {4, 6}, 7.0, DataType.DOUBLE);
    INDArray dBias = Nd4j.valueArrayOf(new long[] {6}, 7.0, DataType.DOUBLE);
    INDArray yBefore = y;
    DenseOps.forward(x, kernel, bias, y);
    DenseOps.backward(x, kernel, ct, dx, dKernel, dBias);
    assertSame(yBefore, y);

    INDArray x2 = x.reshape(6, 4);
    INDArray ct2 = ct.reshape(6, 6);
    assertClose("y", x2.mmul(kernel).addRowVector(bias).reshape(2, 3, 6), y, 1e-12);
    assertClose("dKernel", x2.transpose().mmul(ct2), dKernel, 1e-12);
    assertClose("dBias", ct2.sum(0), dBias, 1e-12);
    assertClose("dx", ct2.mmul(kernel.transpose()).reshape(2, 3, 4), dx, 1e-12);

    // dx == null skips the input gradient; the others are still written.
    dKernel.assign(7.0);
    DenseOps.backward(x, kernel, ct, null, dKernel, null);
    assertClose("dKernel without dx", x2.transpose().mmul(ct2), dKernel, 1e-12);
  }

  @Test
  void recordOverloadsAndFloat32AgreeWithFloat64() {
    INDArray x = GradientCheck.randn(8, 5, 4);
    DenseParams p = new DenseParams(GradientCheck.randn(9, 4, 3), GradientCheck.randn(10, 3));
    INDArray ct = GradientCheck.randn(11, 5, 3);
    INDArray y64 = Nd4j.create(DataType.DOUBLE, 5, 3);
    DenseParams g64 = new DenseParams(Nd4j.create(DataType.DOUBLE, 4, 3), Nd4j.create(DataType.DOUBLE, 3));
    DenseOps.forward(x, p, y64);
    DenseOps.backward(x, p, ct, null, g64);

    DenseParams p32 = new DenseParams(p.kernel().castTo(DataType.FLOAT), p.bias().castTo(DataType.FLOAT));
    INDArray y32 = Nd4j.create(DataType.FLOAT, 5, 3);
    DenseParams g32 = new DenseParams(Nd4j.create(DataType.FLOAT, 4, 3), Nd4j.create(DataType.FLOAT, 3));
    DenseOps.forward(x.castTo(DataType.FLOAT), p32, y32);
    DenseOps.backward(x.castTo(DataType.FLOAT), p32, ct.castTo(DataType.FLOAT), null, g32);
    assertClose("y", y64, y32, 1e-6);
    assertClose("dKernel", g64.kernel(), g32.kernel(), 1e-6);
    assertClose("dBias", g64.bias(), g32.bias(), 1e-6);
  }

  @Test
  void rejectsMismatchedShapesAndNonViewableOutputs() {
    INDArray kernel = Nd4j.create(DataType.DOUBLE, 4, 3);
    assertThrows(IllegalArgumentException.class,
        () -> DenseOps.forward(Nd4j.create(DataType.DOUBLE, 2, 5), kernel, null, Nd4j.create(DataType.DOUBLE, 2, 3)));
    assertThrows(IllegalArgumentException.class,
        () -> DenseOps.forward(Nd4j.create(DataType.DOUBLE, 2, 4), kernel, null, Nd4j.create(DataType.DOUBLE, 3, 3)));
    // A permuted rank-3 output cannot be viewed as a matrix: refuse rather than write into a copy.
    INDArray permuted = Nd4j.create(DataType.DOUBLE, 2, 2, 2).permute(1, 0, 2);
    assertThrows(IllegalArgumentException.class,
        () -> DenseOps.forward(Nd4j.create(DataType.DOUBLE, 2, 2, 4), Nd4j.create(DataType.DOUBLE, 4, 2), null, permuted));
  }

  /** Generated code may carve buffers out of one arena: outputs that are offset views work. */
  @Test
  void writesIntoOffsetViewsOfALargerBuffer() {
    INDArray x = GradientCheck.randn(12, 3, 4);
    INDArray kernel = GradientCheck.randn(13, 4, 5);
    INDArray bias = GradientCheck.randn(14, 5);
    INDArray ct = GradientCheck.randn(15, 3, 5);
    INDArray arena = Nd4j.create(DataType.DOUBLE, 100);
    INDArray y = arena.get(interval(7, 22)).reshape('c', true, 3, 5);
    INDArray dKernel = arena.get(interval(30, 50)).reshape('c', true, 4, 5);
    INDArray dBias = arena.get(interval(51, 56));
    INDArray dx = arena.get(interval(60, 72)).reshape('c', true, 3, 4);
    DenseOps.forward(x, kernel, bias, y);
    DenseOps.backward(x, kernel, ct, dx, dKernel, dBias);
    assertClose("y", x.mmul(kernel).addRowVector(bias), arena.get(interval(7, 22)).reshape(3, 5), 1e-12);
    assertClose("dKernel", x.transpose().mmul(ct), arena.get(interval(30, 50)).reshape(4, 5), 1e-12);
    assertClose("dBias", ct.sum(0), arena.get(interval(51, 56)), 1e-12);
    assertClose("dx", ct.mmul(kernel.transpose()), arena.get(interval(60, 72)).reshape(3, 4), 1e-12);
    assertEquals(0.0, arena.getDouble(6), 0.0);
    assertEquals(0.0, arena.getDouble(22), 0.0);
    assertEquals(0.0, arena.getDouble(59), 0.0);
    assertEquals(0.0, arena.getDouble(72), 0.0);
  }
}
