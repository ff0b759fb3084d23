package dev.kiln.runtime.nn;

import static dev.kiln.runtime.nn.ParityAssertions.GRAD_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.OUTPUT_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.annotations.Activation;
import dev.kiln.runtime.testing.GradientCheck;
import dev.kiln.runtime.testing.Parity;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ActivationOpsTest {
  private static final Parity P = Parity.ops();

  @ParameterizedTest
  @EnumSource(value = Activation.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
  void matchesFlax(Activation a) {
    String key = "activations/" + a.name().toLowerCase(Locale.ROOT);
    INDArray x = P.get("activations/x");
    assertEquals(DataType.FLOAT, x.dataType());
    INDArray y = Nd4j.valueArrayOf(x.shape(), Double.NaN, DataType.FLOAT);
    ActivationOps.forward(a, x, y);
    assertClose(key + "/y", P.get(key + "/y"), y, OUTPUT_TOL);

    INDArray dx = Nd4j.valueArrayOf(x.shape(), Double.NaN, DataType.FLOAT);
    ActivationOps.backward(a, x, y, P.get(key + "/ct"), dx);
    assertClose(key + "/grad_x", P.get(key + "/grad_x"), dx, GRAD_TOL);
  }

  /** Rank 3, so that softmax and log_softmax are checked on the last axis of a batch of rows. */
  @ParameterizedTest
  @EnumSource(Activation.class)
  void gradientMatchesFiniteDifferences(Activation a) {
    INDArray x = GradientCheck.uniformAwayFromZero(21, 0.05, 3.0, 2, 3, 5);
    GradientCheck.of(Map.of("x", x))
        .check(
            p -> {
              INDArray y = Nd4j.create(DataType.DOUBLE, 2, 3, 5);
              ActivationOps.forward(a, p.get("x"), y);
              return y;
            },
            (p, ct) -> {
              INDArray y = Nd4j.create(DataType.DOUBLE, 2, 3, 5);
              ActivationOps.forward(a, p.get("x"), y);
              INDArray dx = Nd4j.create(DataType.DOUBLE, 2, 3, 5);
              ActivationOps.backward(a, p.get("x"), y, ct, dx);
              return Map.of("x", dx);
            });
  }

  /**
   * ReLU's other routes give what the plain one gives: the backward pass when dx is dOut itself,
   * and, as generated layers run it, the forward pass in place with the step taken from the output.
   */
  @Test
  void reluRoutesAgree() {
    Activation a = Activation.RELU;
    INDArray x = GradientCheck.uniformAwayFromZero(24, 0.05, 3.0, 4, 6);
    INDArray y = Nd4j.create(DataType.DOUBLE, 4, 6);
    ActivationOps.forward(a, x, y);
    INDArray ct = GradientCheck.randn(25, 4, 6);
    INDArray dx = Nd4j.create(DataType.DOUBLE, 4, 6);
    ActivationOps.backward(a, x, y, ct, dx);

    INDArray overDOut = ct.dup();
    ActivationOps.backward(a, x, y, overDOut, overDOut);
    assertClose("dx written over dOut", dx, overDOut, 0);

    INDArray out = x.dup();
    ActivationOps.forward(a, out, out);
    assertClose("y in place", y, out, 0);
    INDArray fromOutput = Nd4j.create(DataType.DOUBLE, 4, 6);
    ActivationOps.backward(a, out, out, ct, fromOutput);
    assertClose("dx from the output", dx, fromOutput, 0);
  }

  @ParameterizedTest
  @EnumSource(Activation.class)
  void writesIntoTheGivenArraysAndOverwritesThem(Activation a) {
    INDArray x = GradientCheck.uniformAwayFromZero(22, 0.05, 3.0, 4, 6);
    INDArray ct = GradientCheck.randn(23, 4, 6);
    INDArray y = Nd4j.valueArrayOf(new long[] {4, 6}, 7.0, DataType.DOUBLE);
    INDArray dx = Nd4j.valueArrayOf(new long[] {4, 6}, 7.0, DataType.DOUBLE);
    INDArray xCopy = x.dup();
    INDArray ctCopy = ct.dup();
    ActivationOps.forward(a, x, y);
    ActivationOps.backward(a, x, y, ct, dx);

    INDArray yFresh = Nd4j.create(DataType.DOUBLE, 4, 6);
    INDArray dxFresh = Nd4j.create(DataType.DOUBLE, 4, 6);
    ActivationOps.forward(a, x, yFresh);
    ActivationOps.backward(a, x, yFresh, ct, dxFresh);
    assertClose("y", yFresh, y, 0);
    assertClose("dx", dxFresh, dx, 0);
    assertClose("x untouched", xCopy, x, 0);
    assertClose("ct untouched", ctCopy, ct, 0);
  }

  @Test
  void geluWithCallerScratchMatchesAllocatingVersion() {
    INDArray x = GradientCheck.randn(24, 3, 7);
    INDArray ct = GradientCheck.randn(25, 3, 7);
    INDArray dx1 = Nd4j.create(DataType.DOUBLE, 3, 7);
    INDArray dx2 = Nd4j.create(DataType.DOUBLE, 3, 7);
    Gelu.backward(x, ct, dx1);
    Gelu.backward(x, ct, dx2, Nd4j.valueArrayOf(new long[] {3, 7}, 7.0, DataType.DOUBLE));
    assertClose("dx", dx1, dx2, 0);
  }

  /**
   * JAX's conventions at the kinks, where finite differences say nothing: relu'(0) = 0 ({@code
   * jax.nn.relu}'s custom JVP), leaky_relu'(0) = 1 ({@code where(x >= 0, x, slope x)}), elu'(0) = 1.
   */
  @Test
  void derivativesAtZeroFollowJax() {
    INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 1);
    INDArray ct = Nd4j.ones(DataType.DOUBLE, 1, 1);
    INDArray y = Nd4j.create(DataType.DOUBLE, 1, 1);
    INDArray dx = Nd4j.create(DataType.DOUBLE, 1, 1);
    double[][] expected = {{0.0}, {1.0}, {1.0}};
    Activation[] acts = {Activation.RELU, Activation.LEAKY_RELU, Activation.ELU};
    for (int i = 0; i < acts.length; i++) {
      ActivationOps.forward(acts[i], x, y);
      ActivationOps.backward(acts[i], x, y, ct, dx);
      assertEquals(0.0, y.getDouble(0), 0.0, acts[i] + "(0)");
      assertEquals(expected[i][0], dx.getDouble(0), 0.0, acts[i] + "'(0)");
    }
  }
}
