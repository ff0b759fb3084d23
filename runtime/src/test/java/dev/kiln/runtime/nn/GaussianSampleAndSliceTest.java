package dev.kiln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.runtime.random.JaxRandom;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.testing.GradientCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The VAE's sampling step and the feature slice: forward semantics and finite differences in double. */
class GaussianSampleAndSliceTest {
  @Test
  void sampleIsMeanPlusScaledNoiseFromTheKey() {
    INDArray stats = GradientCheck.randn(1, 3, 4).castTo(DataType.FLOAT);
    INDArray eps = Nd4j.create(DataType.FLOAT, 3, 2);
    INDArray z = Nd4j.create(DataType.FLOAT, 3, 2);
    GaussianSampleOps.forward(stats, PRNGKey.of(7), eps, z);
    assertEquals(JaxRandom.normal(PRNGKey.of(7), 3, 2), eps);
    INDArray expected = stats.getColumns(0, 1).add(org.nd4j.linalg.ops.transforms.Transforms.exp(stats.getColumns(2, 3)).mul(eps));
    assertEquals(0.0, expected.sub(z).amaxNumber().doubleValue(), 1e-6);
    GaussianSampleOps.forward(stats, null, eps.assign(0), z);
    assertEquals(stats.getColumns(0, 1), z);
  }

  @Test
  void sampleGradientMatchesFiniteDifferences() {
    INDArray eps = GradientCheck.randn(2, 3, 2);
    GradientCheck.of(Map.of("stats", GradientCheck.randn(3, 3, 4))).check(
        in -> {
          INDArray z = Nd4j.create(DataType.DOUBLE, 3, 2);
          GaussianSampleOps.forward(in.get("stats"), null, eps.dup(), z);
          return z;
        },
        (in, ct) -> {
          INDArray z = Nd4j.create(DataType.DOUBLE, 3, 2);
          GaussianSampleOps.forward(in.get("stats"), null, eps.dup(), z);
          INDArray d = Nd4j.create(DataType.DOUBLE, 3, 4);
          GaussianSampleOps.backward(in.get("stats"), z, ct, d);
          return Map.of("stats", d);
        });
  }

  @Test
  void sliceGradientMatchesFiniteDifferences() {
    GradientCheck.of(Map.of("x", GradientCheck.randn(4, 3, 5))).check(
        in -> {
          INDArray out = Nd4j.create(DataType.DOUBLE, 3, 2);
          SliceOps.forward(in.get("x"), 2, out);
          return out;
        },
        (in, ct) -> {
          INDArray dx = Nd4j.create(DataType.DOUBLE, 3, 5).assign(9);
          SliceOps.backward(ct, 2, dx);
          return Map.of("x", dx);
        });
  }
}
