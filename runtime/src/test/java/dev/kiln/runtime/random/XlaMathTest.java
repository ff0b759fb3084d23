package dev.kiln.runtime.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The XLA formulas are checked bit for bit through the samplers' fixtures; here they are checked to
 * stay within a few ulp of the correctly rounded functions, plus their special values.
 */
class XlaMathTest {
  private static void assertUlps(double exact, float actual, int ulps, String what) {
    float e = (float) exact;
    assertTrue(Math.abs(e - actual) <= ulps * Math.ulp(e), what + ": expected " + e + " but was " + actual);
  }

  @Test
  void logIsWithinFewUlps() {
    for (float x = 1e-30f; x < 1e30f; x *= 1.37f) {
      assertUlps(Math.log(x), XlaMath.log(x), 3, "log(" + x + ")");
    }
    assertEquals(Float.NEGATIVE_INFINITY, XlaMath.log(0f));
    assertEquals(Float.POSITIVE_INFINITY, XlaMath.log(Float.POSITIVE_INFINITY));
    assertTrue(Float.isNaN(XlaMath.log(-1f)));
    assertEquals(0f, XlaMath.log(1f));
  }

  @Test
  void log1pIsWithinFewUlps() {
    for (float x = -0.999f; x < 10f; x += 0.00731f) {
      assertUlps(Math.log1p(x), XlaMath.log1p(x), 4, "log1p(" + x + ")");
    }
    assertEquals(Float.NEGATIVE_INFINITY, XlaMath.log1p(-1f));
  }

  @Test
  void erfAtTruncationBoundIsJaxs() {
    assertEquals(0x3F745A18, Float.floatToRawIntBits(XlaMath.erf(2f / (float) Math.sqrt(2.0))));
    assertEquals(1f, XlaMath.erf(4f));
    assertEquals(-1f, XlaMath.erf(-4f));
    assertEquals(0f, XlaMath.erf(0f));
  }

  @Test
  void erfinvInvertsErf() {
    // both branches: |u| up to 0.99999 reaches w = -log1p(-u*u) > 5
    for (float u : new float[] {-0.99999f, -0.9999f, -0.7f, -0.1f, 0f, 1e-6f, 0.3f, 0.9f, 0.9966f, 0.9999f, 0.99999f}) {
      assertEquals(u, XlaMath.erf(XlaMath.erfinv(u)), 4e-7, "erf(erfinv(" + u + "))");
    }
    assertEquals(Float.POSITIVE_INFINITY, XlaMath.erfinv(1f));
    assertEquals(Float.NEGATIVE_INFINITY, XlaMath.erfinv(-1f));
    assertTrue(Float.isNaN(XlaMath.erfinv(1.5f)));
  }
}
