package dev.kiln.runtime.nn;

import static dev.kiln.runtime.nn.ParityAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.runtime.random.FlaxRng;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.testing.GradientCheck;
import dev.kiln.runtime.testing.Parity;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DropoutOpsTest {
  /** nn.Dropout(0.3).apply({}, ones(4, 8), rngs={'dropout': PRNGKey(3)}): the root scope's first key. */
  @Test
  void matchesFlaxExactly() {
    Parity p = Parity.ops2();
    INDArray x = p.get("dropout/x");
    float[] expected = p.raw("dropout/y").toFloats();
    PRNGKey key = new FlaxRng(PRNGKey.of(3)).root().nextKey();
    INDArray mask = Nd4j.valueArrayOf(x.shape(), 7.0, DataType.FLOAT);
    INDArray y = Nd4j.valueArrayOf(x.shape(), 7.0, DataType.FLOAT);
    DropoutOps.forward(x, 0.3, key, mask, y);
    float[] got = y.data().asFloat();
    float[] m = mask.data().asFloat();
    int kept = 0;
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], got[i], 0f, "y[" + i + "]");
      assertEquals(expected[i] != 0f ? 1f : 0f, m[i], 0f, "mask[" + i + "]");
      kept += (int) m[i];
    }
    // a real mask: neither all kept nor all dropped
    assertEquals(true, kept > 0 && kept < expected.length, "kept " + kept);
  }

  @Test
  void gradientWithAFixedMaskMatchesFiniteDifferences() {
    PRNGKey key = PRNGKey.of(11);
    INDArray mask = Nd4j.create(DataType.DOUBLE, 3, 5);
    GradientCheck.of(Map.of("x", GradientCheck.randn(61, 3, 5)))
        .check(
            p -> {
              INDArray y = Nd4j.create(DataType.DOUBLE, 3, 5);
              // the same key draws the same mask on every call
              DropoutOps.forward(p.get("x"), 0.4, key, mask, y);
              return y;
            },
            (p, ct) -> {
              INDArray dx = Nd4j.valueArrayOf(new long[] {3, 5}, 7.0, DataType.DOUBLE);
              DropoutOps.backward(ct, mask, 0.4, dx);
              return Map.of("x", dx);
            });
    double kept = mask.sumNumber().doubleValue();
    assertEquals(true, kept > 0 && kept < 15, "kept " + kept);
  }

  @Test
  void rateZeroKeepsAndRateOneDropsWithoutAKey() {
    INDArray x = GradientCheck.randn(62, 2, 3);
    INDArray mask = Nd4j.create(DataType.DOUBLE, 2, 3);
    INDArray y = Nd4j.valueArrayOf(new long[] {2, 3}, 7.0, DataType.DOUBLE);
    DropoutOps.forward(x, 0.0, null, mask, y);
    assertClose("rate 0", x, y, 0);
    DropoutOps.forward(x, 1.0, null, mask, y);
    assertClose("rate 1", Nd4j.zeros(DataType.DOUBLE, 2, 3), y, 0);
    DropoutOps.backward(x, mask, 1.0, y);
    assertClose("rate 1 gradient", Nd4j.zeros(DataType.DOUBLE, 2, 3), y, 0);
    assertThrows(IllegalArgumentException.class, () -> DropoutOps.forward(x, 1.5, null, mask, y));
    assertThrows(IllegalArgumentException.class,
        () -> DropoutOps.forward(x, 0.5, PRNGKey.of(1), Nd4j.create(DataType.DOUBLE, 3, 2), y));
  }
}
