package dev.kiln.runtime.nn;

import static dev.kiln.runtime.nn.ParityAssertions.GRAD_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.OUTPUT_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.kiln.runtime.testing.GradientCheck;
import dev.kiln.runtime.testing.Parity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConvTransposeOpsTest {
  private static final int[] S1 = {1, 1};
  private static final int[] S2 = {2, 2};

  /** Every nn.ConvTranspose case of both fixture files, with its strides, padding and transpose_kernel. */
  static Stream<Arguments> flaxCases() {
    return Stream.of(
        Arguments.of(Parity.ops(), "convT_same_s2", S2, Padding.SAME, false),
        Arguments.of(Parity.ops(), "convT_same_s1", S1, Padding.SAME, false),
        Arguments.of(Parity.ops(), "convT_valid_s2", S2, Padding.VALID, false),
        Arguments.of(Parity.ops2(), "convT_k4_s2_same", S2, Padding.SAME, false),
        Arguments.of(Parity.ops2(), "convT_k2_s2_same", S2, Padding.SAME, false),
        Arguments.of(Parity.ops2(), "convT_k5_s2_same", S2, Padding.SAME, false),
        Arguments.of(Parity.ops2(), "convT_k3_s2_tk", S2, Padding.SAME, true));
  }

  /** Each fixture, through the path the shapes select (native deconv2d for all of them) and the dilated conv2d path. */
  static Stream<Arguments> flaxCasesBothPaths() {
    return flaxCases().flatMap(a -> Stream.of(true, false).map(n -> {
      Object[] v = a.get();
      return Arguments.of(v[0], v[1], v[2], v[3], v[4], n);
    }));
  }

  @ParameterizedTest(name = "{1} native allowed {5}")
  @MethodSource("flaxCasesBothPaths")
  void matchesFlax(Parity p, String c, int[] strides, Padding padding, boolean tk, boolean allowNative) {
    INDArray x = p.get(c + "/x");
    INDArray kernel = p.get(c + "/params/kernel");
    INDArray bias = p.get(c + "/params/bias");
    assertEquals(DataType.FLOAT, x.dataType());
    long[] yShape = ConvTransposeOps.outputShape(x.shape(), kernel.shape(), strides, padding, tk);
    assertArrayEquals(p.get(c + "/y").shape(), yShape, "outputShape");
    assertTrue(ConvTransposeOps.usesDeconv2d(kernel.shape(), strides, padding), "k >= s: native path");

    INDArray scratch = allowNative
        ? Nd4j.valueArrayOf(ConvTransposeOps.scratchShape(x.shape(), kernel.shape(), strides, padding, tk),
            Double.NaN, DataType.FLOAT)
        : null;
    INDArray y = Nd4j.valueArrayOf(yShape, Double.NaN, DataType.FLOAT);
    ConvTransposeOps.forward(x, kernel, bias, strides, padding, tk, y, scratch, allowNative);
    assertClose(c + "/y", p.get(c + "/y"), y, OUTPUT_TOL);

    INDArray dx = Nd4j.valueArrayOf(x.shape(), Double.NaN, DataType.FLOAT);
    INDArray dKernel = Nd4j.valueArrayOf(kernel.shape(), Double.NaN, DataType.FLOAT);
    INDArray dBias = Nd4j.valueArrayOf(bias.shape(), Double.NaN, DataType.FLOAT);
    ConvTransposeOps.backward(x, kernel, p.get(c + "/ct"), dx, dKernel, dBias, strides, padding, tk, scratch,
        allowNative);
    assertClose(c + "/grad/kernel", p.get(c + "/grad/kernel"), dKernel, GRAD_TOL);
    assertClose(c + "/grad/bias", p.get(c + "/grad/bias"), dBias, GRAD_TOL);
    assertClose(c + "/grad_x", p.get(c + "/grad_x"), dx, GRAD_TOL);
  }

  static Stream<Arguments> gradientCases() {
    return Stream.of(
        Arguments.of("SAME s1 k3", new long[] {2, 4, 5, 3}, 3, S1, Padding.SAME, false, true),
        Arguments.of("SAME s2 k3", new long[] {2, 3, 4, 2}, 3, S2, Padding.SAME, false, true),
        Arguments.of("SAME s2 k4", new long[] {1, 3, 3, 2}, 4, S2, Padding.SAME, false, true),
        Arguments.of("SAME s2 k2", new long[] {1, 3, 4, 2}, 2, S2, Padding.SAME, false, true),
        Arguments.of("SAME s2 k5", new long[] {1, 3, 3, 2}, 5, S2, Padding.SAME, false, true),
        Arguments.of("SAME s3 k2 (dilated path)", new long[] {1, 3, 2, 2}, 2, new int[] {3, 3}, Padding.SAME, false, true),
        Arguments.of("SAME s(2,1) k3", new long[] {1, 3, 4, 2}, 3, new int[] {2, 1}, Padding.SAME, false, true),
        Arguments.of("VALID s1 k3", new long[] {2, 4, 4, 2}, 3, S1, Padding.VALID, false, true),
        Arguments.of("VALID s2 k3", new long[] {1, 3, 4, 2}, 3, S2, Padding.VALID, false, true),
        Arguments.of("VALID s3 k2 (dilated path)", new long[] {1, 3, 3, 2}, 2, new int[] {3, 3}, Padding.VALID, false, true),
        Arguments.of("transposeKernel SAME s2", new long[] {2, 3, 3, 2}, 3, S2, Padding.SAME, true, true),
        Arguments.of("transposeKernel VALID s1", new long[] {1, 4, 4, 2}, 3, S1, Padding.VALID, true, true),
        Arguments.of("transposeKernel SAME s3 k2 (dilated path)", new long[] {1, 3, 3, 2}, 2, new int[] {3, 3}, Padding.SAME, true, true),
        Arguments.of("no bias SAME s2", new long[] {1, 3, 3, 2}, 3, S2, Padding.SAME, false, false),
        Arguments.of("no bias VALID s1 transposeKernel", new long[] {1, 4, 3, 2}, 3, S1, Padding.VALID, true, false),
        Arguments.of("explicit asymmetric s2", new long[] {1, 3, 4, 2}, 3, S2, Padding.explicit(1, 2, 0, 3), false, true),
        Arguments.of("explicit transposeKernel s1", new long[] {1, 4, 4, 2}, 3, S1, Padding.explicit(2, 1, 1, 1), true, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gradientCases")
  void gradientsMatchFiniteDifferences(
      String name, long[] xShape, int k, int[] strides, Padding padding, boolean tk, boolean useBias) {
    int out = 3;
    long[] kShape = tk ? new long[] {k, k, out, xShape[3]} : new long[] {k, k, xShape[3], out};
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    inputs.put("x", GradientCheck.randn(51, xShape));
    inputs.put("kernel", GradientCheck.randn(52, kShape));
    if (useBias) {
      inputs.put("bias", GradientCheck.randn(53, out));
    }
    long[] yShape = ConvTransposeOps.outputShape(xShape, kShape, strides, padding, tk);
    INDArray scratch = Nd4j.create(DataType.DOUBLE, ConvTransposeOps.scratchShape(xShape, kShape, strides, padding, tk));
    // The loss is bilinear in (x, kernel): central differences are exact, a large eps avoids rounding noise.
    GradientCheck.of(inputs)
        .eps(1e-2)
        .check(
            p -> {
              INDArray y = Nd4j.create(DataType.DOUBLE, yShape);
              ConvTransposeOps.forward(p.get("x"), p.get("kernel"), p.get("bias"), strides, padding, tk, y, scratch);
              return y;
            },
            (p, ct) -> {
              Map<String, INDArray> g = new LinkedHashMap<>();
              g.put("x", Nd4j.create(DataType.DOUBLE, xShape));
              g.put("kernel", Nd4j.create(DataType.DOUBLE, kShape));
              if (useBias) {
                g.put("bias", Nd4j.create(DataType.DOUBLE, out));
              }
              ConvTransposeOps.backward(p.get("x"), p.get("kernel"), ct, g.get("x"), g.get("kernel"), g.get("bias"),
                  strides, padding, tk, scratch);
              return g;
            });
  }

  /**
   * The native deconv2d path agrees with the dilated conv2d path (a direct transcription of
   * lax.conv_transpose) wherever it is used, for kernels 1 to 6 and strides 1 to 3, SAME and VALID,
   * both kernel layouts, float64 and float32; the fixtures above tie the dilated path to Flax.
   */
  @Test
  void nativePathAgreesWithDilatedPath() {
    int checked = 0;
    for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      for (Padding padding : new Padding[] {Padding.SAME, Padding.VALID}) {
        for (int k = 1; k <= 6; k++) {
          for (int s = 1; s <= 3; s++) {
            for (boolean tk : new boolean[] {false, true}) {
              long[] xShape = {2, 3, 4, 2};
              long[] kShape = tk ? new long[] {k, k, 3, 2} : new long[] {k, k, 2, 3};
              int[] st = {s, s};
              if (!ConvTransposeOps.usesDeconv2d(kShape, st, padding)) {
                assertTrue(k < s);
                continue;
              }
              INDArray x = GradientCheck.randn(61 + k, xShape).castTo(dt);
              INDArray kernel = GradientCheck.randn(62 + s, kShape).castTo(dt);
              INDArray bias = GradientCheck.randn(63, 3).castTo(dt);
              long[] yShape = ConvTransposeOps.outputShape(xShape, kShape, st, padding, tk);
              INDArray ct = GradientCheck.randn(64, yShape).castTo(dt);
              String what = "k" + k + " s" + s + " " + padding + " tk " + tk + " " + dt;
              INDArray[] a = run(x, kernel, bias, ct, st, padding, tk, true);
              INDArray[] b = run(x, kernel, bias, ct, st, padding, tk, false);
              double tol = dt == DataType.DOUBLE ? 1e-12 : 1e-5;
              assertClose(what + " y", b[0], a[0], tol);
              assertClose(what + " dx", b[1], a[1], tol);
              assertClose(what + " dK", b[2], a[2], tol);
              assertClose(what + " db", b[3], a[3], tol);
              checked++;
            }
          }
        }
      }
    }
    assertEquals(2 * 2 * 2 * (6 * 3 - 3), checked);
  }

  private static INDArray[] run(INDArray x, INDArray kernel, INDArray bias, INDArray ct, int[] st, Padding padding,
      boolean tk, boolean allowNative) {
    DataType dt = x.dataType();
    INDArray y = Nd4j.create(dt, ct.shape());
    INDArray dx = Nd4j.create(dt, x.shape());
    INDArray dK = Nd4j.create(dt, kernel.shape());
    INDArray db = Nd4j.create(dt, bias.shape());
    ConvTransposeOps.forward(x, kernel, bias, st, padding, tk, y, null, allowNative);
    ConvTransposeOps.backward(x, kernel, ct, dx, dK, db, st, padding, tk, null, allowNative);
    return new INDArray[] {y, dx, dK, db};
  }

  /** Skipping dx, and allocating the scratch, leave the other results unchanged, on both paths. */
  @Test
  void skippedInputGradientAndAllocatedScratchGiveTheSameResults() {
    for (int[] strides : new int[][] {S2, {3, 3}}) {
      for (boolean tk : new boolean[] {false, true}) {
        INDArray x = GradientCheck.randn(71, 2, 3, 4, 2);
        long[] kShape = tk ? new long[] {2, 2, 3, 2} : new long[] {2, 2, 2, 3};
        INDArray kernel = GradientCheck.randn(72, kShape);
        INDArray bias = GradientCheck.randn(73, 3);
        long[] yShape = ConvTransposeOps.outputShape(x.shape(), kShape, strides, Padding.SAME, tk);
        INDArray ct = GradientCheck.randn(74, yShape);
        INDArray y1 = Nd4j.create(DataType.DOUBLE, yShape);
        ConvTransposeOps.forward(x, kernel, bias, strides, Padding.SAME, tk, y1);
        INDArray dK1 = Nd4j.valueArrayOf(kShape, 7.0, DataType.DOUBLE);
        INDArray dB1 = Nd4j.valueArrayOf(new long[] {3}, 7.0, DataType.DOUBLE);
        INDArray dx1 = Nd4j.valueArrayOf(x.shape(), 7.0, DataType.DOUBLE);
        ConvTransposeOps.backward(x, kernel, ct, dx1, dK1, dB1, strides, Padding.SAME, tk);

        INDArray scratch = Nd4j.valueArrayOf(
            ConvTransposeOps.scratchShape(x.shape(), kShape, strides, Padding.SAME, tk), 7.0, DataType.DOUBLE);
        INDArray y2 = Nd4j.valueArrayOf(yShape, 7.0, DataType.DOUBLE);
        ConvTransposeOps.forward(x, kernel, bias, strides, Padding.SAME, tk, y2, scratch);
        INDArray dK2 = Nd4j.valueArrayOf(kShape, 7.0, DataType.DOUBLE);
        INDArray dB2 = Nd4j.valueArrayOf(new long[] {3}, 7.0, DataType.DOUBLE);
        ConvTransposeOps.backward(x, kernel, ct, null, dK2, dB2, strides, Padding.SAME, tk, scratch);
        String what = "s" + strides[0] + " tk " + tk;
        assertClose(what + " y", y1, y2, 0);
        assertClose(what + " dKernel", dK1, dK2, 0);
        assertClose(what + " dBias", dB1, dB2, 0);
      }
    }
  }

  /** The scratch views share the caller's buffer: what the ops write there is visible in it. */
  @Test
  void scratchIsUsedInPlace() {
    INDArray x = GradientCheck.randn(75, 1, 3, 3, 2);
    INDArray kernel = GradientCheck.randn(76, 3, 3, 2, 3);
    long[] sShape = ConvTransposeOps.scratchShape(x.shape(), kernel.shape(), S2, Padding.SAME, false);
    // Native path, transpose_kernel=False: [flipped kernel, its gradient, dx sink, deconv2d's full 7x7 output].
    assertArrayEquals(new long[] {2 * 54 + 18 + 147}, sShape);
    INDArray scratch = Nd4j.create(DataType.DOUBLE, sShape);
    INDArray y = Nd4j.create(DataType.DOUBLE, 1, 6, 6, 3);
    ConvTransposeOps.forward(x, kernel, null, S2, Padding.SAME, false, y, scratch);
    INDArray flipped = Nd4j.create(DataType.DOUBLE, 3, 3, 3, 2);
    KernelFlip.apply(kernel, flipped);
    assertClose("flipped kernel in scratch", flipped, scratch.get(interval(0, 54)).reshape(3, 3, 3, 2), 0);
    assertEquals(kernel.getDouble(2, 1, 0, 2), flipped.getDouble(0, 1, 2, 0), 0);
    // SAME with k 3 > s 2 crops the full output's last row and column.
    INDArray full = scratch.get(interval(126, 273)).reshape(1, 7, 7, 3);
    assertClose("output is the full output's window", y, full.get(all(), interval(0, 6), interval(0, 6), all()), 0);
  }

  @Test
  void outputSizeFollowsFlax() {
    // The fixtures: SAME in * s; VALID in * s + max(k - s, 0)
    assertEquals(8, ConvTransposeOps.outputSize(4, 3, 2, Padding.SAME, 0)); // convT_same_s2
    assertEquals(5, ConvTransposeOps.outputSize(5, 3, 1, Padding.SAME, 1)); // convT_same_s1
    assertEquals(9, ConvTransposeOps.outputSize(4, 3, 2, Padding.VALID, 0)); // convT_valid_s2
    assertEquals(8, ConvTransposeOps.outputSize(4, 4, 2, Padding.SAME, 0)); // convT_k4_s2_same
    assertEquals(8, ConvTransposeOps.outputSize(4, 2, 2, Padding.SAME, 1)); // convT_k2_s2_same
    assertEquals(6, ConvTransposeOps.outputSize(3, 5, 2, Padding.SAME, 0)); // convT_k5_s2_same
    assertEquals(8, ConvTransposeOps.outputSize(4, 3, 2, Padding.SAME, 1)); // convT_k3_s2_tk
    // More: VALID with k < s, s = 1
    assertEquals(9, ConvTransposeOps.outputSize(3, 2, 3, Padding.VALID, 0));
    assertEquals(7, ConvTransposeOps.outputSize(5, 3, 1, Padding.VALID, 0));
    assertEquals(9, ConvTransposeOps.outputSize(3, 1, 3, Padding.SAME, 0));
    // explicit (lo, hi) pads the dilated input: (in - 1) s + lo + hi - k + 2
    Padding e = Padding.explicit(1, 2, 0, 3);
    assertEquals(8, ConvTransposeOps.outputSize(4, 3, 2, e, 0));
    assertEquals(8, ConvTransposeOps.outputSize(4, 3, 2, e, 1));
    assertThrows(IllegalArgumentException.class, () -> ConvTransposeOps.outputSize(1, 3, 1, Padding.explicit(0, 0, 1, 0), 1));
    // Flax's padding pairs (lax._conv_transpose_padding)
    assertArrayEquals(new long[] {1, 1}, ConvTransposeOps.pads(3, 1, Padding.SAME, 0));
    assertArrayEquals(new long[] {3, 2}, ConvTransposeOps.pads(4, 3, Padding.SAME, 0));
    assertArrayEquals(new long[] {1, 1}, ConvTransposeOps.pads(2, 2, Padding.SAME, 0));
    assertArrayEquals(new long[] {2, 2}, ConvTransposeOps.pads(3, 2, Padding.VALID, 0));
  }

  @Test
  void pathSelection() {
    assertTrue(ConvTransposeOps.usesDeconv2d(new long[] {3, 3, 2, 2}, S2, Padding.SAME));
    assertTrue(ConvTransposeOps.usesDeconv2d(new long[] {2, 2, 2, 2}, S2, Padding.VALID));
    assertFalse(ConvTransposeOps.usesDeconv2d(new long[] {2, 2, 2, 2}, new int[] {3, 3}, Padding.SAME));
    assertFalse(ConvTransposeOps.usesDeconv2d(new long[] {3, 1, 2, 2}, S2, Padding.SAME));
    assertFalse(ConvTransposeOps.usesDeconv2d(new long[] {3, 3, 2, 2}, S1, Padding.explicit(1, 1, 1, 1)));
  }

  @Test
  void recordOverloadsAndFloat32AgreeWithFloat64() {
    INDArray x = GradientCheck.randn(81, 2, 3, 3, 3);
    ConvTransposeParams p = new ConvTransposeParams(GradientCheck.randn(82, 3, 3, 3, 4), GradientCheck.randn(83, 4));
    INDArray ct = GradientCheck.randn(84, 2, 6, 6, 4);
    INDArray y64 = Nd4j.create(DataType.DOUBLE, 2, 6, 6, 4);
    ConvTransposeParams g64 = new ConvTransposeParams(Nd4j.create(DataType.DOUBLE, 3, 3, 3, 4), Nd4j.create(DataType.DOUBLE, 4));
    ConvTransposeOps.forward(x, p, S2, Padding.SAME, false, y64, null);
    ConvTransposeOps.backward(x, p, ct, null, g64, S2, Padding.SAME, false, null);

    ConvTransposeParams p32 = new ConvTransposeParams(p.kernel().castTo(DataType.FLOAT), p.bias().castTo(DataType.FLOAT));
    INDArray y32 = Nd4j.create(DataType.FLOAT, 2, 6, 6, 4);
    ConvTransposeParams g32 = new ConvTransposeParams(Nd4j.create(DataType.FLOAT, 3, 3, 3, 4), Nd4j.create(DataType.FLOAT, 4));
    ConvTransposeOps.forward(x.castTo(DataType.FLOAT), p32, S2, Padding.SAME, false, y32, null);
    ConvTransposeOps.backward(x.castTo(DataType.FLOAT), p32, ct.castTo(DataType.FLOAT), null, g32, S2, Padding.SAME, false, null);
    assertClose("y", y64, y32, 1e-6);
    assertClose("dKernel", g64.kernel(), g32.kernel(), 1e-5);
    assertClose("dBias", g64.bias(), g32.bias(), 1e-6);
  }

  @Test
  void rejectsMismatchedShapes() {
    INDArray x = Nd4j.create(DataType.DOUBLE, 1, 3, 3, 2);
    INDArray kernel = Nd4j.create(DataType.DOUBLE, 3, 3, 2, 4);
    assertThrows(IllegalArgumentException.class,
        () -> ConvTransposeOps.forward(x, kernel, null, S2, Padding.SAME, false, Nd4j.create(DataType.DOUBLE, 1, 3, 3, 4)));
    // transpose_kernel=True wants [kh, kw, out, in]
    assertThrows(IllegalArgumentException.class,
        () -> ConvTransposeOps.forward(x, kernel, null, S2, Padding.SAME, true, Nd4j.create(DataType.DOUBLE, 1, 6, 6, 4)));
    assertThrows(IllegalArgumentException.class,
        () -> ConvTransposeOps.forward(x, kernel, Nd4j.create(DataType.DOUBLE, 3), S2, Padding.SAME, false,
            Nd4j.create(DataType.DOUBLE, 1, 6, 6, 4)));
    assertThrows(IllegalArgumentException.class,
        () -> ConvTransposeOps.forward(x, kernel, null, S2, Padding.SAME, false, Nd4j.create(DataType.DOUBLE, 1, 6, 6, 4),
            Nd4j.create(DataType.DOUBLE, 5)));
    assertThrows(IllegalArgumentException.class, () -> new ConvTransposeParams(kernel, Nd4j.create(DataType.DOUBLE, 3)));
  }
}
