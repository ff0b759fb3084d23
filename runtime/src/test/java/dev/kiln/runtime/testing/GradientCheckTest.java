package dev.kiln.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

class GradientCheckTest {
  @Test
  void acceptsTheRightGradient() {
    INDArray x = GradientCheck.randn(1, 2, 3);
    double worst =
        GradientCheck.of(Map.of("x", x))
            .check(p -> Transforms.sin(p.get("x"), true), (p, ct) -> Map.of("x", Transforms.cos(p.get("x"), true).mul(ct)));
    assertTrue(worst < 1e-6, "worst " + worst);
  }

  @Test
  void rejectsAWrongGradientNamingParameterAndIndex() {
    INDArray x = GradientCheck.randn(1, 2, 3);
    AssertionFailedError e =
        assertThrows(
            AssertionFailedError.class,
            () ->
                GradientCheck.of(Map.of("x", x))
                    .check(
                        p -> Transforms.sin(p.get("x"), true),
                        (p, ct) -> {
                          INDArray g = Transforms.cos(p.get("x"), true).mul(ct);
                          g.putScalar(new long[] {1, 2}, g.getDouble(1, 2) * (1 + 1e-4));
                          return Map.of("x", g);
                        }));
    assertTrue(e.getMessage().contains("d/dx at [1, 2]"), e.getMessage());
    assertTrue(!e.getMessage().contains("[0, 0]"), e.getMessage());
  }
}
