package dev.kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.testing.Parity;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code optimizers} parity case: loss {@code sum((A p - b)^2)}, five optax updates from the
 * same start; row k of each fixture array is the parameter vector after k updates.
 */
class OptaxParityTest {
  private static final INDArray A = Parity.ops().get("optimizers/A");
  private static final INDArray B = Parity.ops().get("optimizers/b").reshape(8, 1);

  static List<Arguments> optimizers() {
    return List.of(
        Arguments.of("adam", (Supplier<Optimizer>) () -> Optax.adam(1e-2)),
        Arguments.of("adam_gan", (Supplier<Optimizer>) () -> Optax.adam(2e-4, 0.5, 0.999, 1e-8)),
        Arguments.of("sgd", (Supplier<Optimizer>) () -> Optax.sgd(1e-2)),
        Arguments.of("sgd_momentum", (Supplier<Optimizer>) () -> Optax.sgd(1e-2, 0.9)),
        Arguments.of("adamw", (Supplier<Optimizer>) () -> Optax.adamw(1e-2, 0.9, 0.999, 1e-8, 1e-2)),
        Arguments.of("rmsprop", (Supplier<Optimizer>) () -> Optax.rmsprop(1e-2)));
  }

  /** d/dp sum((A p - b)^2) = 2 A^T (A p - b), in float32. */
  private static INDArray gradient(INDArray p) {
    INDArray residual = A.mmul(p.reshape(6, 1)).subi(B);
    return A.transpose().mmul(residual).muli(2).reshape(6);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optimizers")
  void matchesOptaxTrajectory(String name, Supplier<Optimizer> factory) {
    INDArray expected = Parity.ops().get("optimizers/" + name);
    INDArray p = expected.getRow(0).dup();
    Optimizer optimizer = factory.get();
    OptimizerState state = optimizer.init(List.of(p));
    for (int step = 1; step <= 5; step++) {
      optimizer.update(List.of(p), List.of(gradient(p)), state);
      assertEquals(step, state.step());
      INDArray want = expected.getRow(step);
      double err = p.sub(want).amaxNumber().doubleValue() / want.amaxNumber().doubleValue();
      assertTrue(err <= 1e-5, name + " step " + step + ": relative error " + err + "\n got " + p + "\nwant " + want);
    }
  }

  @Test
  void slotsAreNamedAsOptax() {
    List<INDArray> params = List.of(Nd4j.zeros(3));
    assertEquals(List.of("mu", "nu"), List.copyOf(Optax.adam(1e-3).init(params).slots().keySet()));
    assertEquals(List.of("mu", "nu"), List.copyOf(Optax.adamw(1e-3).init(params).slots().keySet()));
    assertEquals(List.of("trace"), List.copyOf(Optax.sgd(1e-3, 0.9).init(params).slots().keySet()));
    assertEquals(List.of(), List.copyOf(Optax.sgd(1e-3).init(params).slots().keySet()));
    assertEquals(List.of("nu"), List.copyOf(Optax.rmsprop(1e-3).init(params).slots().keySet()));
  }

  @Test
  void updatesReuseTheirScratchArrays() {
    List<INDArray> params = List.of(Nd4j.ones(4), Nd4j.ones(2, 3));
    List<INDArray> grads = List.of(Nd4j.ones(4), Nd4j.ones(2, 3));
    for (Optimizer optimizer : List.of(Optax.adamw(1e-2), Optax.rmsprop(1e-2), Optax.sgd(1e-2, 0.9, true))) {
      OptimizerState state = optimizer.init(params);
      optimizer.update(params, grads, state);
      List<INDArray> scratch = state.scratch(params);
      INDArray mu0 = state.slots().values().iterator().next().get(0);
      optimizer.update(params, grads, state);
      assertSame(scratch, state.scratch(params));
      assertSame(mu0, state.slots().values().iterator().next().get(0));
    }
  }

  /** Nesterov has no fixture: compare with optax's formula evaluated in double. */
  @Test
  void nesterovMomentumFollowsOptaxTrace() {
    double lr = 0.1;
    double m = 0.9;
    double[] g = {0.5, -1.5, 2.0};
    INDArray p = Nd4j.createFromArray(1f, 2f, 3f);
    Optimizer optimizer = Optax.sgd(lr, m, true);
    OptimizerState state = optimizer.init(List.of(p));
    double[] want = {1, 2, 3};
    double[] trace = new double[3];
    for (int step = 0; step < 3; step++) {
      optimizer.update(List.of(p), List.of(Nd4j.createFromArray(g).castTo(p.dataType())), state);
      for (int i = 0; i < 3; i++) {
        trace[i] = g[i] + m * trace[i];
        want[i] -= lr * (g[i] + m * trace[i]);
      }
      assertArrayEquals(want, p.toDoubleVector(), 1e-6);
    }
  }

  /**
   * Tiny gradients tell eps inside the root (optax: g / sqrt(nu + eps)) from eps outside
   * (g / (sqrt(nu) + eps)); the fixture's gradients are too large to tell them apart.
   */
  @Test
  void rmspropAddsEpsInsideTheSquareRoot() {
    double g = 1e-5;
    double lr = 1e-2;
    INDArray p = Nd4j.createFromArray(0f);
    Optimizer optimizer = Optax.rmsprop(lr);
    OptimizerState state = optimizer.init(List.of(p));
    optimizer.update(List.of(p), List.of(Nd4j.createFromArray((float) g)), state);
    double nu = 0.1 * g * g;
    double inside = -lr * g / Math.sqrt(nu + 1e-8);
    double outside = -lr * g / (Math.sqrt(nu) + 1e-8);
    assertEquals(inside, p.getDouble(0), Math.abs(inside) * 1e-5);
    assertTrue(Math.abs(outside - inside) > Math.abs(inside) * 1e-2);
  }

  /** Adam with tiny gradients, where eps dominates: checks the eps rescaling of adam_updater. */
  @Test
  void adamMatchesOptaxWhereEpsDominates() {
    double g = 1e-7;
    double lr = 1e-2;
    INDArray p = Nd4j.createFromArray(0f);
    Optimizer optimizer = Optax.adam(lr);
    OptimizerState state = optimizer.init(List.of(p));
    double mu = 0;
    double nu = 0;
    double want = 0;
    for (int t = 1; t <= 3; t++) {
      optimizer.update(List.of(p), List.of(Nd4j.createFromArray((float) g)), state);
      mu = 0.9 * mu + 0.1 * g;
      nu = 0.999 * nu + 0.001 * g * g;
      want -= lr * (mu / (1 - Math.pow(0.9, t))) / (Math.sqrt(nu / (1 - Math.pow(0.999, t))) + 1e-8);
      assertEquals(want, p.getDouble(0), Math.abs(want) * 1e-5, "step " + t);
    }
  }
}
