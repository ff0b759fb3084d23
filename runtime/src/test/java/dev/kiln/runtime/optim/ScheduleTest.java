package dev.kiln.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Values from optax 0.2.8's schedule formulas, worked by hand. */
class ScheduleTest {
  private static void assertValues(Schedule s, double... want) {
    for (int step = 0; step < want.length; step++) {
      assertEquals(want[step], s.at(step), 1e-12, "step " + step);
    }
  }

  @Test
  void constant() {
    assertValues(Schedule.constant(0.3), 0.3, 0.3, 0.3);
  }

  @Test
  void exponentialDecay() {
    assertValues(Schedule.exponentialDecay(1, 2, 0.25), 1, 0.5, 0.25, 0.125, 0.0625);
    assertValues(Schedule.exponentialDecay(1, 2, 0.25, 1, true, null), 1, 1, 1, 0.25, 0.25, 0.0625);
    assertValues(Schedule.exponentialDecay(1, 1, 0.5, 0, false, 0.2), 1, 0.5, 0.25, 0.2, 0.2);
    assertValues(Schedule.exponentialDecay(1, 1, 2, 0, false, 3.0), 1, 2, 3, 3);
    assertValues(Schedule.exponentialDecay(0.7, 0, 0.5), 0.7, 0.7);
  }

  @Test
  void cosineDecay() {
    assertValues(Schedule.cosineDecay(2, 4), 2, 1 + Math.sqrt(0.5), 1, 1 - Math.sqrt(0.5), 0, 0, 0);
    assertValues(Schedule.cosineDecay(1, 2, 0.1, 2), 1, 0.9 * 0.25 + 0.1, 0.1, 0.1);
    assertThrows(IllegalArgumentException.class, () -> Schedule.cosineDecay(1, 0));
  }

  @Test
  void warmupCosineDecay() {
    // linear 0 -> 1 over 2 steps, then cosine 1 -> 0.1 over the remaining 2 of 4 steps
    assertValues(Schedule.warmupCosineDecay(0, 1, 2, 4, 0.1, 1), 0, 0.5, 1, 0.55, 0.1, 0.1);
    assertValues(Schedule.warmupCosineDecay(0.5, 1, 0, 2), 1, 0.5, 0);
    assertThrows(IllegalArgumentException.class, () -> Schedule.warmupCosineDecay(0, 1, 3, 3));
  }

  @Test
  void piecewiseConstant() {
    assertValues(Schedule.piecewiseConstant(1, Map.of(4L, 0.1, 2L, 0.5)), 1, 1, 0.5, 0.5, 0.05, 0.05);
    assertThrows(IllegalArgumentException.class, () -> Schedule.piecewiseConstant(1, Map.of(1L, -1.0)));
  }

  /** optax reads the schedule at the count before incrementing it: the first update sees step 0. */
  @Test
  void optimizersReadTheScheduleBeforeTheStepCount() {
    INDArray p = Nd4j.createFromArray(0f);
    Optimizer sgd = Optax.sgd(Schedule.piecewiseConstant(1, Map.of(1L, 0.5, 2L, 0.0)));
    OptimizerState state = sgd.init(List.of(p));
    List<INDArray> g = List.of(Nd4j.createFromArray(1f));
    sgd.update(List.of(p), g, state);
    assertEquals(-1, p.getDouble(0), 0);
    sgd.update(List.of(p), g, state);
    assertEquals(-1.5, p.getDouble(0), 0);
    sgd.update(List.of(p), g, state);
    assertEquals(-1.5, p.getDouble(0), 0);
  }
}
