package dev.kiln.runtime.random;

import static dev.kiln.runtime.random.Fixtures.assertBitExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.random.Initializers.Distribution;
import dev.kiln.runtime.random.Initializers.Mode;
import dev.kiln.runtime.testing.Parity;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class InitializersTest {
  private static final PRNGKey KEY = PRNGKey.of(42);

  @Test
  void lecunNormalMatchesJax() {
    assertBitExact(Parity.ops().raw("rng/lecun_normal_3x3x1x32"),
        Initializers.lecunNormal().init(KEY, 3, 3, 1, 32), "lecun_normal");
  }

  @Test
  void lecunNormalIsTruncatedNormalTimesScaledStddev() {
    // stddev for fan_in 9 is 0x3EC2059D = sqrt(1/9) / 0.87962566 in float32
    float[] tn = JaxRandom.truncatedNormal(KEY, -2f, 2f, 3, 3, 1, 32).data().asFloat();
    float[] w = Initializers.lecunNormal().init(KEY, 3, 3, 1, 32).data().asFloat();
    float stddev = Float.intBitsToFloat(0x3EC2059D);
    for (int i = 0; i < w.length; i++) {
      assertEquals(tn[i] * stddev, w[i]);
    }
  }

  @Test
  void normalScalesStandardNormal() {
    float[] z = JaxRandom.normal(KEY, 4, 3).data().asFloat();
    float[] w = Initializers.normal(0.02f).init(KEY, 4, 3).data().asFloat();
    for (int i = 0; i < w.length; i++) {
      assertEquals(z[i] * 0.02f, w[i]);
    }
  }

  @Test
  void glorotUniformStaysInItsLimit() {
    INDArray w = Initializers.glorotUniform().init(KEY, 30, 20);
    float limit = (float) Math.sqrt(3.0 / 25.0);
    for (float x : w.data().asFloat()) {
      assertTrue(Math.abs(x) <= limit, "glorot value " + x);
    }
  }

  @Test
  void heNormalHasVarianceTwoOverFanIn() {
    float[] w = Initializers.heNormal().init(KEY, 200, 300).data().asFloat();
    double sq = 0;
    for (float x : w) {
      sq += x * x;
    }
    assertEquals(2.0 / 200, sq / w.length, 2e-4);
  }

  @Test
  void fanOutAndCustomAxesUseTheRightFan() {
    // (3, 3, 4, 8): fan_out = 8 * 9 = 72; normal variance 1/72
    float[] z = JaxRandom.normal(KEY, 3, 3, 4, 8).data().asFloat();
    float[] w = Initializers.varianceScaling(1.0, Mode.FAN_OUT, Distribution.NORMAL).init(KEY, 3, 3, 4, 8)
        .data().asFloat();
    float s = (float) Math.sqrt((float) (1.0 / 72));
    for (int i = 0; i < w.length; i++) {
      assertEquals(z[i] * s, w[i]);
    }
  }

  @Test
  void embedDefaultMatchesFlaxEmbed() {
    PRNGKey key = new FlaxRng(PRNGKey.of(0)).root().nextKey();
    assertBitExact(Parity.ops().raw("embed/params/embedding"), Initializers.embedDefault().init(key, 11, 6),
        "embed");
  }

  @Test
  void zerosAndOnes() {
    assertArrayEquals(new float[6], Initializers.zeros().init(KEY, 2, 3).data().asFloat());
    assertArrayEquals(new float[] {1f, 1f, 1f}, Initializers.ones().init(KEY, 3).data().asFloat());
    assertArrayEquals(new long[] {2, 3}, Initializers.ones().init(KEY, 2, 3).shape());
  }

  @Test
  void orthogonalHasOrthonormalColumnsOrRows() {
    assertOrthonormal(Initializers.orthogonal().init(KEY, 7, 4), 7, 4);   // columns
    INDArray wide = Initializers.orthogonal().init(KEY, 4, 7);             // rows (drawn transposed)
    assertOrthonormal(wide.transpose().dup('c'), 7, 4);
    // column axis 0 of (5, 2, 3): moving the axis last gives a 6 x 5 matrix with orthonormal columns
    INDArray t = Initializers.orthogonal(1f, 0).init(KEY, 5, 2, 3);
    assertOrthonormal(t.permute(1, 2, 0).dup('c').reshape(6, 5), 6, 5);
  }

  private static void assertOrthonormal(INDArray q, int rows, int cols) {
    float[] v = q.dup('c').data().asFloat();
    for (int a = 0; a < cols; a++) {
      for (int b = 0; b < cols; b++) {
        double dot = 0;
        for (int r = 0; r < rows; r++) {
          dot += v[r * cols + a] * v[r * cols + b];
        }
        assertEquals(a == b ? 1.0 : 0.0, dot, 1e-6, "column " + a + " . column " + b);
      }
    }
  }

  @Test
  void largeKernelIsFast() {
    Initializers.lecunNormal().init(KEY, 1000, 10); // warm up
    long start = System.nanoTime();
    INDArray w = Initializers.lecunNormal().init(KEY, 50176, 10);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertArrayEquals(new long[] {50176, 10}, w.shape());
    assertTrue(ms < 1000, "50176x10 lecun_normal took " + ms + " ms");
  }
}
