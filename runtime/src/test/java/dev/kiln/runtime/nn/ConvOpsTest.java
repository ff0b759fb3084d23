package dev.kiln.runtime.nn;

import static dev.kiln.runtime.nn.ParityAssertions.GRAD_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.OUTPUT_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

class ConvOpsTest {
  private static final int[] ONE = {1, 1};

  /** Every nn.Conv case of both fixture files, with its strides, padding and dilation. */
  static Stream<Arguments> flaxCases() {
    return Stream.of(
        Arguments.of(Parity.ops(), "conv_same_s1", new int[] {1, 1}, Padding.SAME, ONE),
        Arguments.of(Parity.ops(), "conv_same_s2_odd", new int[] {2, 2}, Padding.SAME, ONE),
        Arguments.of(Parity.ops(), "conv_same_s2_even", new int[] {2, 2}, Padding.SAME, ONE),
        Arguments.of(Parity.ops(), "conv_valid", new int[] {1, 1}, Padding.VALID, ONE),
        Arguments.of(Parity.ops(), "conv_5x5_nobias", new int[] {1, 1}, Padding.SAME, ONE),
        Arguments.of(Parity.ops2(), "conv_k4_s2_same", new int[] {2, 2}, Padding.SAME, ONE),
        Arguments.of(Parity.ops2(), "conv_dilated", new int[] {1, 1}, Padding.SAME, new int[] {2, 2}),
        Arguments.of(Parity.ops2(), "conv_explicit_pad", new int[] {1, 1}, Padding.explicit(1, 2, 0, 1), ONE));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("flaxCases")
  void matchesFlax(Parity p, String c, int[] strides, Padding padding, int[] dilation) {
    INDArray x = p.get(c + "/x");
    INDArray kernel = p.get(c + "/params/kernel");
    INDArray bias = p.has(c + "/params/bias") ? p.get(c + "/params/bias") : null;
    assertEquals(DataType.FLOAT, x.dataType());
    long[] yShape = ConvOps.outputShape(x.shape(), kernel.shape(), strides, padding, dilation);
    assertArrayEquals(p.get(c + "/y").shape(), yShape, "outputShape");

    INDArray y = Nd4j.valueArrayOf(yShape, Double.NaN, DataType.FLOAT);
    INDArray scratch = Nd4j.create(DataType.FLOAT, ConvOps.scratchShape(x.shape(), kernel.shape(), strides, padding, dilation));
    ConvOps.forward(x, kernel, bias, strides, padding, dilation, y, scratch);
    assertClose(c + "/y", p.get(c + "/y"), y, OUTPUT_TOL);

    INDArray dx = Nd4j.valueArrayOf(x.shape(), Double.NaN, DataType.FLOAT);
    INDArray dKernel = Nd4j.valueArrayOf(kernel.shape(), Double.NaN, DataType.FLOAT);
    INDArray dBias = bias == null ? null : Nd4j.valueArrayOf(bias.shape(), Double.NaN, DataType.FLOAT);
    ConvOps.backward(x, kernel, p.get(c + "/ct"), dx, dKernel, dBias, strides, padding, dilation, scratch);
    assertClose(c + "/grad/kernel", p.get(c + "/grad/kernel"), dKernel, GRAD_TOL);
    if (bias != null) {
      assertClose(c + "/grad/bias", p.get(c + "/grad/bias"), dBias, GRAD_TOL);
    }
    assertClose(c + "/grad_x", p.get(c + "/grad_x"), dx, GRAD_TOL);

    dKernel.assign(Double.NaN);
    ConvOps.backward(x, kernel, p.get(c + "/ct"), null, dKernel, dBias, strides, padding, dilation, scratch);
    assertClose(c + "/grad/kernel without dx", p.get(c + "/grad/kernel"), dKernel, GRAD_TOL);
    if (bias != null) {
      assertClose(c + "/grad/bias without dx", p.get(c + "/grad/bias"), dBias, GRAD_TOL);
    }
  }

  static Stream<Arguments> gradientCases() {
    return Stream.of(
        Arguments.of("SAME stride 1", new long[] {2, 5, 5, 3}, 3, new int[] {1, 1}, Padding.SAME, ONE, true),
        Arguments.of("SAME stride 2 even", new long[] {2, 6, 6, 2}, 3, new int[] {2, 2}, Padding.SAME, ONE, true),
        Arguments.of("SAME stride 2 odd, k4", new long[] {1, 7, 5, 2}, 4, new int[] {2, 2}, Padding.SAME, ONE, true),
        Arguments.of("VALID", new long[] {2, 6, 5, 2}, 3, new int[] {1, 2}, Padding.VALID, ONE, true),
        Arguments.of("dilation 2", new long[] {1, 7, 7, 2}, 3, new int[] {1, 1}, Padding.SAME, new int[] {2, 2}, true),
        Arguments.of("no bias", new long[] {1, 5, 5, 2}, 3, new int[] {1, 1}, Padding.SAME, ONE, false),
        Arguments.of("explicit asymmetric", new long[] {2, 6, 6, 2}, 3, new int[] {1, 1}, Padding.explicit(1, 2, 0, 1), ONE, true),
        Arguments.of("explicit asymmetric stride 2", new long[] {1, 6, 7, 2}, 3, new int[] {2, 2}, Padding.explicit(2, 0, 1, 3), ONE, true),
        Arguments.of("explicit symmetric", new long[] {1, 6, 6, 2}, 3, new int[] {2, 1}, Padding.explicit(1, 1, 2, 2), ONE, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gradientCases")
  void gradientsMatchFiniteDifferences(
      String name, long[] xShape, int k, int[] strides, Padding padding, int[] dilation, boolean useBias) {
    int out = 3;
    long[] kShape = {k, k, xShape[3], out};
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    inputs.put("x", GradientCheck.randn(31, xShape));
    inputs.put("kernel", GradientCheck.randn(32, kShape));
    if (useBias) {
      inputs.put("bias", GradientCheck.randn(33, out));
    }
    long[] yShape = ConvOps.outputShape(xShape, kShape, strides, padding, dilation);
    INDArray scratch = Nd4j.create(DataType.DOUBLE, ConvOps.scratchShape(xShape, kShape, strides, padding, dilation));
    // The loss is bilinear in (x, kernel): central differences are exact, a large eps avoids rounding noise.
    GradientCheck.of(inputs)
        .eps(1e-2)
        .check(
            p -> {
              INDArray y = Nd4j.create(DataType.DOUBLE, yShape);
              ConvOps.forward(p.get("x"), p.get("kernel"), p.get("bias"), strides, padding, dilation, y, scratch);
              return y;
            },
            (p, ct) -> {
              Map<String, INDArray> g = new LinkedHashMap<>();
              g.put("x", Nd4j.create(DataType.DOUBLE, xShape));
              g.put("kernel", Nd4j.create(DataType.DOUBLE, kShape));
              if (useBias) {
                g.put("bias", Nd4j.create(DataType.DOUBLE, out));
              }
              ConvOps.backward(p.get("x"), p.get("kernel"), ct, g.get("x"), g.get("kernel"), g.get("bias"),
                  strides, padding, dilation, scratch);
              return g;
            });
  }

  /** libnd4j's symmetric padding arguments agree with zero-padding the input and convolving VALID. */
  @Test
  void symmetricExplicitPaddingEqualsPadThenValid() {
    INDArray x = GradientCheck.randn(41, 2, 6, 6, 2);
    INDArray kernel = GradientCheck.randn(42, 3, 3, 2, 3);
    int[] strides = {2, 2};
    INDArray y = Nd4j.create(DataType.DOUBLE, 2, 3, 4, 3);
    ConvOps.forward(x, kernel, null, strides, Padding.explicit(1, 1, 2, 2), ONE, y);
    INDArray padded = Nd4j.pad(x, new int[][] {{0, 0}, {1, 1}, {2, 2}, {0, 0}});
    INDArray expected = Nd4j.create(DataType.DOUBLE, 2, 3, 4, 3);
    ConvOps.forward(padded, kernel, null, strides, Padding.VALID, ONE, expected);
    assertClose("y", expected, y, 1e-12);
  }

  /**
   * Skipping dx (the patch-matrix route, or for a dilated kernel or an asymmetric padding libnd4j's
   * op with a sink), with and without a scratch buffer, leaves the parameter gradients unchanged.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("gradientCases")
  void skippedInputGradientGivesTheSameParameterGradients(
      String name, long[] xShape, int k, int[] strides, Padding padding, int[] dilation, boolean useBias) {
    INDArray x = GradientCheck.randn(43, xShape);
    long[] kShape = {k, k, xShape[3], 3};
    INDArray kernel = GradientCheck.randn(44, kShape);
    INDArray ct = GradientCheck.randn(45, ConvOps.outputShape(xShape, kShape, strides, padding, dilation));
    INDArray dK1 = Nd4j.valueArrayOf(kShape, 7.0, DataType.DOUBLE);
    INDArray dB1 = useBias ? Nd4j.valueArrayOf(new long[] {3}, 7.0, DataType.DOUBLE) : null;
    ConvOps.backward(x, kernel, ct, Nd4j.create(DataType.DOUBLE, xShape), dK1, dB1, strides, padding, dilation);
    INDArray scratch = Nd4j.valueArrayOf(ConvOps.scratchShape(xShape, kShape, strides, padding, dilation), 7.0,
        DataType.DOUBLE);
    for (INDArray s : new INDArray[] {scratch, null}) {
      INDArray dK2 = Nd4j.valueArrayOf(kShape, 7.0, DataType.DOUBLE);
      INDArray dB2 = useBias ? Nd4j.valueArrayOf(new long[] {3}, 7.0, DataType.DOUBLE) : null;
      ConvOps.backward(x, kernel, ct, null, dK2, dB2, strides, padding, dilation, s);
      assertClose("dKernel", dK1, dK2, 1e-12);
      if (useBias) {
        assertClose("dBias", dB1, dB2, 1e-12);
      }
    }
  }

  /** A batch given to libnd4j in slices (here of 2, 2 and 1 examples, or one at a time) gives what one call gives. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("gradientCases")
  void slicedBatchGivesTheSameGradients(
      String name, long[] xShape, int k, int[] strides, Padding padding, int[] dilation, boolean useBias) {
    long[] shape = xShape.clone();
    shape[0] = 5;
    INDArray x = GradientCheck.randn(51, shape);
    long[] kShape = {k, k, shape[3], 3};
    INDArray kernel = GradientCheck.randn(52, kShape);
    long[] yShape = ConvOps.outputShape(shape, kShape, strides, padding, dilation);
    INDArray ct = GradientCheck.randn(53, yShape);
    long exampleBytes = 8 * (2 * x.length() + ct.length()) / 5;
    INDArray[] whole = sliced(x, kernel, ct, useBias, strides, padding, dilation, Long.MAX_VALUE);
    for (long sliceBytes : new long[] {2 * exampleBytes, 1}) {
      INDArray[] parts = sliced(x, kernel, ct, useBias, strides, padding, dilation, sliceBytes);
      for (int i = 0; i < whole.length; i++) {
        assertClose(name + " gradient " + i + ", slices of " + sliceBytes + " bytes", whole[i], parts[i], 1e-12);
      }
    }
  }

  private static INDArray[] sliced(INDArray x, INDArray kernel, INDArray ct, boolean useBias, int[] strides,
      Padding padding, int[] dilation, long sliceBytes) {
    INDArray dx = Nd4j.valueArrayOf(x.shape(), 7.0, DataType.DOUBLE);
    INDArray dK = Nd4j.valueArrayOf(kernel.shape(), 7.0, DataType.DOUBLE);
    INDArray dB = Nd4j.valueArrayOf(new long[] {kernel.size(3)}, 7.0, DataType.DOUBLE);
    ConvOps.backward(x, kernel, ct, dx, dK, useBias ? dB : null, strides, padding, dilation, null, sliceBytes);
    return useBias ? new INDArray[] {dx, dK, dB} : new INDArray[] {dx, dK};
  }

  @Test
  void refusesAScratchBufferOfTheWrongSize() {
    INDArray x = Nd4j.create(DataType.FLOAT, 2, 5, 5, 1);
    INDArray kernel = Nd4j.create(DataType.FLOAT, 3, 3, 1, 4);
    INDArray ct = Nd4j.create(DataType.FLOAT, 2, 5, 5, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvOps.backward(x, kernel, ct, null,
        Nd4j.create(DataType.FLOAT, 3, 3, 1, 4), null, ONE, Padding.SAME, ONE, Nd4j.create(DataType.FLOAT, 50)));
    // 50 positions of 10 columns (9 patch elements and the ones), then the 10 x 4 product
    assertEquals("Conv scratch must be [540], got [50]", e.getMessage());
  }

  @Test
  void float32AgreesWithFloat64() {
    INDArray x = GradientCheck.randn(46, 2, 6, 6, 3);
    ConvParams p = new ConvParams(GradientCheck.randn(47, 3, 3, 3, 4), GradientCheck.randn(48, 4));
    INDArray ct = GradientCheck.randn(49, 2, 3, 3, 4);
    int[] s = {2, 2};
    INDArray y64 = Nd4j.create(DataType.DOUBLE, 2, 3, 3, 4);
    ConvParams g64 = new ConvParams(Nd4j.create(DataType.DOUBLE, 3, 3, 3, 4), Nd4j.create(DataType.DOUBLE, 4));
    ConvOps.forward(x, p, s, Padding.SAME, ONE, y64, null);
    ConvOps.backward(x, p, ct, null, g64, s, Padding.SAME, ONE, null);

    ConvParams p32 = new ConvParams(p.kernel().castTo(DataType.FLOAT), p.bias().castTo(DataType.FLOAT));
    INDArray y32 = Nd4j.create(DataType.FLOAT, 2, 3, 3, 4);
    ConvParams g32 = new ConvParams(Nd4j.create(DataType.FLOAT, 3, 3, 3, 4), Nd4j.create(DataType.FLOAT, 4));
    ConvOps.forward(x.castTo(DataType.FLOAT), p32, s, Padding.SAME, ONE, y32, null);
    ConvOps.backward(x.castTo(DataType.FLOAT), p32, ct.castTo(DataType.FLOAT), null, g32, s, Padding.SAME, ONE, null);
    assertClose("y", y64, y32, 1e-6);
    assertClose("dKernel", g64.kernel(), g32.kernel(), 1e-5);
    assertClose("dBias", g64.bias(), g32.bias(), 1e-6);
  }

  @Test
  void outputSizeFollowsFlax() {
    // SAME: ceil(in / s)
    assertEquals(4, ConvOps.outputSize(7, 3, 2, Padding.SAME, 1, 0));
    assertEquals(4, ConvOps.outputSize(8, 4, 2, Padding.SAME, 1, 1));
    assertEquals(7, ConvOps.outputSize(7, 3, 1, Padding.SAME, 2, 0));
    // VALID: ceil((in - (k - 1) d) / s)
    assertEquals(4, ConvOps.outputSize(6, 3, 1, Padding.VALID, 1, 0));
    assertEquals(2, ConvOps.outputSize(6, 3, 2, Padding.VALID, 1, 0));
    assertEquals(2, ConvOps.outputSize(8, 3, 1, Padding.VALID, 3, 0));
    // explicit ((1, 2), (0, 1)) on 6x6, kernel 3: 7x5
    Padding e = Padding.explicit(1, 2, 0, 1);
    assertEquals(7, ConvOps.outputSize(6, 3, 1, e, 1, 0));
    assertEquals(5, ConvOps.outputSize(6, 3, 1, e, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> ConvOps.outputSize(2, 3, 1, Padding.VALID, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> Padding.explicit(-1, 0, 0, 0));
  }

  @Test
  void rejectsMismatchedShapes() {
    INDArray x = Nd4j.create(DataType.DOUBLE, 1, 5, 5, 2);
    INDArray kernel = Nd4j.create(DataType.DOUBLE, 3, 3, 2, 4);
    assertThrows(IllegalArgumentException.class,
        () -> ConvOps.forward(x, kernel, null, ONE, Padding.VALID, ONE, Nd4j.create(DataType.DOUBLE, 1, 5, 5, 4)));
    assertThrows(IllegalArgumentException.class,
        () -> ConvOps.forward(x, Nd4j.create(DataType.DOUBLE, 3, 3, 3, 4), null, ONE, Padding.SAME, ONE,
            Nd4j.create(DataType.DOUBLE, 1, 5, 5, 4)));
    assertThrows(IllegalArgumentException.class,
        () -> new ConvParams(kernel, Nd4j.create(DataType.DOUBLE, 3)));
  }
}
