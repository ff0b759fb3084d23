package dev.kiln.runtime.nn;

import static dev.kiln.runtime.nn.ParityAssertions.GRAD_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.OUTPUT_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.kiln.runtime.testing.GradientCheck;
import dev.kiln.runtime.testing.Parity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class GruOpsTest {
  private static final Parity P = Parity.ops2();

  /** Flax's parameter names, in the order of {@link GruParams}' components. */
  private static final String[] NAMES = {
    "ir/kernel", "ir/bias", "hr/kernel", "iz/kernel", "iz/bias", "hz/kernel",
    "in/kernel", "in/bias", "hn/kernel", "hn/bias"
  };

  @Test
  void oneStepFromH0MatchesFlaxGruCell() {
    GruParams p = fixtureParams("gru_cell/params/");
    INDArray x = Nd4j.create(DataType.FLOAT, 3, 1, 4).assign(P.get("gru_cell/x").reshape(3, 1, 4)); // T = 1
    INDArray h0 = P.get("gru_cell/h0");
    assertEquals(DataType.FLOAT, x.dataType());
    Buffers s = new Buffers(DataType.FLOAT, 3, 1, 4, 5, Double.NaN);
    INDArray h = nan(DataType.FLOAT, 3, 5);
    GruOps.forward(x, p, null, h0, s.gates, s.hnPre, s.hiddens, h);
    assertClose("h", P.get("gru_cell/h"), h, OUTPUT_TOL);

    INDArray dx = nan(DataType.FLOAT, 3, 1, 4);
    INDArray dh0 = nan(DataType.FLOAT, 3, 5);
    GruParams grads = like(p, Double.NaN);
    GruOps.backward(x, p, null, h0, s.gates, s.hnPre, s.hiddens, s.work, s.carry,
        P.get("gru_cell/ct_h"), dx, dh0, grads);
    assertClose("grad_x", P.get("gru_cell/grad_x"), dx.reshape(3, 4), GRAD_TOL);
    assertClose("grad_h0", P.get("gru_cell/grad_h0"), dh0, GRAD_TOL);
    assertGrads("gru_cell/grad/", grads);
  }

  @Test
  void raggedScanMatchesFlaxRnnWithSeqLengths() {
    GruParams p = fixtureParams("gru_scan/params/cell/");
    INDArray x = P.get("gru_scan/x");
    INDArray lengths = P.get("gru_scan/lengths");
    INDArray ys = P.get("gru_scan/ys");
    Buffers s = new Buffers(DataType.FLOAT, 2, 6, 4, 5, Double.NaN);
    INDArray h = nan(DataType.FLOAT, 2, 5);
    GruOps.forward(x, p, lengths, null, s.gates, s.hnPre, s.hiddens, h);
    assertClose("h", P.get("gru_scan/h"), h, OUTPUT_TOL);
    for (int b = 0; b < 2; b++) {
      int len = lengths.getInt(b);
      assertClose("hiddens = ys at the real steps of row " + b,
          ys.get(point(b), interval(0, len), all()), s.hiddens.get(point(b), interval(0, len), all()), OUTPUT_TOL);
    }

    INDArray dx = nan(DataType.FLOAT, 2, 6, 4);
    GruParams grads = like(p, Double.NaN);
    GruOps.backward(x, p, lengths, null, s.gates, s.hnPre, s.hiddens, s.work, s.carry,
        P.get("gru_scan/ct_h"), dx, null, grads);
    assertClose("grad_x", P.get("gru_scan/grad_x"), dx, GRAD_TOL);
    assertGrads("gru_scan/grad/cell/", grads);
  }

  /**
   * Sequence mode writes Flax's ys at real steps and the final carry at padded ones, where Flax's
   * scan has run the cell over the padding instead.
   */
  @Test
  void sequenceOutputIsFlaxYsAtRealStepsAndTheFinalCarryAtPadding() {
    GruParams p = fixtureParams("gru_scan/params/cell/");
    INDArray x = P.get("gru_scan/x");
    INDArray ys = P.get("gru_scan/ys");
    INDArray hFinal = P.get("gru_scan/h");
    Buffers s = new Buffers(DataType.FLOAT, 2, 6, 4, 5, Double.NaN);
    INDArray out = nan(DataType.FLOAT, 2, 6, 5);
    GruOps.forward(x, p, P.get("gru_scan/lengths"), null, s.gates, s.hnPre, s.hiddens, out);
    assertClose("row 0 (full length)", ys.get(point(0), all(), all()), out.get(point(0), all(), all()), OUTPUT_TOL);
    assertClose("row 1, real steps", ys.get(point(1), interval(0, 2), all()), out.get(point(1), interval(0, 2), all()), OUTPUT_TOL);
    for (int t = 2; t < 6; t++) {
      INDArray carry = hFinal.get(point(1), all());
      assertClose("row 1, padded step " + t, carry, out.get(point(1), point(t), all()), OUTPUT_TOL);
      double flaxDiff = Transforms.abs(ys.get(point(1), point(t), all()).sub(carry)).maxNumber().doubleValue();
      assertTrue(flaxDiff > 1e-3, "Flax's ys at padded step " + t + " is not the final carry");
    }
  }

  static Stream<Arguments> gradientCases() {
    return Stream.of(
        Arguments.of("last step, ragged with an empty row, h0", false, new int[] {4, 2, 0}, true),
        Arguments.of("last step, all shorter than T", false, new int[] {3, 1, 2}, false),
        Arguments.of("last step, no lengths", false, null, false),
        Arguments.of("every step, ragged with an empty row, h0", true, new int[] {2, 4, 0}, true),
        Arguments.of("every step, all shorter than T", true, new int[] {1, 3, 2}, false),
        Arguments.of("every step, no lengths, h0", true, null, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gradientCases")
  void gradientsMatchFiniteDifferences(String name, boolean sequence, int[] lengthValues, boolean withH0) {
    int b = 3, t = 4, e = 3, h = 2;
    INDArray lengths = lengthValues == null ? null : Nd4j.createFromArray(lengthValues);
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    inputs.put("x", GradientCheck.randn(21, b, t, e));
    if (withH0) {
      inputs.put("h0", GradientCheck.randn(22, b, h).muli(0.5));
    }
    for (int i = 0; i < NAMES.length; i++) {
      long[] shape = NAMES[i].endsWith("bias") ? new long[] {h}
          : NAMES[i].startsWith("h") ? new long[] {h, h} : new long[] {e, h};
      inputs.put(NAMES[i], GradientCheck.randn(30 + i, shape).muli(0.6));
    }
    long[] outShape = sequence ? new long[] {b, t, h} : new long[] {b, h};
    GradientCheck.of(inputs)
        .check(
            in -> {
              INDArray out = nan(DataType.DOUBLE, outShape);
              Buffers s = new Buffers(DataType.DOUBLE, b, t, e, h, Double.NaN);
              GruOps.forward(in.get("x"), params(in), lengths, in.get("h0"), s.gates, s.hnPre, s.hiddens, out);
              return out;
            },
            (in, ct) -> {
              GruParams p = params(in);
              Buffers s = new Buffers(DataType.DOUBLE, b, t, e, h, Double.NaN);
              GruOps.forward(in.get("x"), p, lengths, in.get("h0"), s.gates, s.hnPre, s.hiddens,
                  nan(DataType.DOUBLE, outShape));
              INDArray dx = nan(DataType.DOUBLE, b, t, e);
              INDArray dh0 = nan(DataType.DOUBLE, b, h);
              GruParams grads = like(p, Double.NaN);
              GruOps.backward(in.get("x"), p, lengths, in.get("h0"), s.gates, s.hnPre, s.hiddens, s.work,
                  s.carry, ct, dx, dh0, grads);
              Map<String, INDArray> g = new LinkedHashMap<>();
              g.put("x", dx);
              if (withH0) {
                g.put("h0", dh0);
              }
              INDArray[] ga = arrays(grads);
              for (int i = 0; i < NAMES.length; i++) {
                g.put(NAMES[i], ga[i]);
              }
              return g;
            });
  }

  @Test
  void paddedStepsHoldTheCarryExactly() {
    int b = 3, t = 5, e = 2, h = 3;
    INDArray x = GradientCheck.randn(41, b, t, e);
    INDArray h0 = GradientCheck.randn(42, b, h);
    GruParams p = randomParams(43, e, h, DataType.DOUBLE);
    INDArray lengths = Nd4j.createFromArray(2, 0, 4);
    Buffers s = new Buffers(DataType.DOUBLE, b, t, e, h, Double.NaN);
    INDArray out = nan(DataType.DOUBLE, b, t, h);
    GruOps.forward(x, p, lengths, h0, s.gates, s.hnPre, s.hiddens, out);
    INDArray[] finalCarry = {
      s.hiddens.get(point(0), point(1), all()), h0.get(point(1), all()), s.hiddens.get(point(2), point(3), all())
    };
    for (int row = 0; row < b; row++) {
      for (int step = lengths.getInt(row); step < t; step++) {
        assertSameValues("row " + row + " step " + step, finalCarry[row], out.get(point(row), point(step), all()));
      }
    }
    INDArray last = nan(DataType.DOUBLE, b, h);
    GruOps.forward(x, p, lengths, h0, s.gates, s.hnPre, s.hiddens, last);
    assertSameValues("last step of the sequence output", out.get(all(), point(t - 1), all()), last);

    INDArray dx = nan(DataType.DOUBLE, b, t, e);
    GruOps.backward(x, p, lengths, h0, s.gates, s.hnPre, s.hiddens, s.work, s.carry,
        GradientCheck.randn(44, b, h), dx, null, like(p, Double.NaN));
    for (int row = 0; row < b; row++) {
      INDArray padded = dx.get(point(row), interval(lengths.getInt(row), t), all());
      assertSameValues("dx at the padding of row " + row, Nd4j.zeros(DataType.DOUBLE, padded.shape()), padded);
    }
  }

  /**
   * Every result lands in the caller's array, overwriting what was there: buffers carved out of one
   * arena and filled with garbage give exactly the results of fresh ones, and nothing between them
   * is touched.
   */
  @Test
  void writesIntoTheGivenArraysAndOverwritesThem() {
    int b = 2, t = 4, e = 3, h = 2;
    INDArray x = GradientCheck.randn(51, b, t, e);
    INDArray h0 = GradientCheck.randn(52, b, h);
    GruParams p = randomParams(53, e, h, DataType.DOUBLE);
    INDArray lengths = Nd4j.createFromArray(4, 3);
    INDArray ct = GradientCheck.randn(54, b, t, h);

    Buffers s = new Buffers(DataType.DOUBLE, b, t, e, h, 0.0);
    INDArray out = Nd4j.create(DataType.DOUBLE, b, t, h);
    INDArray dx = Nd4j.create(DataType.DOUBLE, b, t, e);
    INDArray dh0 = Nd4j.create(DataType.DOUBLE, b, h);
    GruParams grads = like(p, 0.0);
    GruOps.forward(x, p, lengths, h0, s.gates, s.hnPre, s.hiddens, out);
    GruOps.backward(x, p, lengths, h0, s.gates, s.hnPre, s.hiddens, s.work, s.carry, ct, dx, dh0, grads);

    Arena arena = new Arena();
    INDArray gates2 = arena.take(b, t, 3 * h);
    INDArray hnPre2 = arena.take(b, t, h);
    INDArray hiddens2 = arena.take(b, t, h);
    INDArray out2 = arena.take(b, t, h);
    INDArray work2 = arena.take(b, 3 * h);
    INDArray carry2 = arena.take(b, h);
    INDArray dx2 = arena.take(b, t, e);
    INDArray dh02 = arena.take(b, h);
    INDArray[] g = arrays(p);
    INDArray[] g2 = new INDArray[g.length];
    for (int i = 0; i < g.length; i++) {
      g2[i] = arena.take(g[i].shape());
    }
    GruParams grads2 = params(g2);
    GruOps.forward(x, p, lengths, h0, gates2, hnPre2, hiddens2, out2);
    GruOps.backward(x, p, lengths, h0, gates2, hnPre2, hiddens2, work2, carry2, ct, dx2, dh02, grads2);
    assertSameValues("out", out, out2);
    assertSameValues("dx", dx, dx2);
    assertSameValues("dh0", dh0, dh02);
    INDArray[] ga = arrays(grads);
    for (int i = 0; i < g.length; i++) {
      assertSameValues(NAMES[i], ga[i], g2[i]);
    }
    arena.assertGapsUntouched();

    // Skipping dx and dh0 leaves the parameter gradients as they were.
    GruParams grads3 = like(p, 7.0);
    GruOps.forward(x, p, lengths, h0, s.gates, s.hnPre, s.hiddens, out);
    GruOps.backward(x, p, lengths, h0, s.gates, s.hnPre, s.hiddens, s.work, s.carry, ct, null, null, grads3);
    INDArray[] g3 = arrays(grads3);
    for (int i = 0; i < g.length; i++) {
      assertSameValues(NAMES[i] + " without dx and dh0", ga[i], g3[i]);
    }
  }

  @Test
  void float32AgreesWithFloat64() {
    int b = 3, t = 5, e = 4, h = 3;
    INDArray x = GradientCheck.randn(61, b, t, e);
    INDArray h0 = GradientCheck.randn(62, b, h);
    GruParams p = randomParams(63, e, h, DataType.DOUBLE);
    INDArray lengths = Nd4j.createFromArray(5, 2, 3);
    INDArray ct = GradientCheck.randn(64, b, t, h);
    Map<DataType, INDArray[]> results = new LinkedHashMap<>();
    for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      GruParams pt = params(cast(arrays(p), type));
      INDArray xt = x.castTo(type);
      INDArray h0t = h0.castTo(type);
      Buffers s = new Buffers(type, b, t, e, h, Double.NaN);
      INDArray out = nan(type, b, t, h);
      INDArray dx = nan(type, b, t, e);
      INDArray dh0 = nan(type, b, h);
      GruParams grads = like(pt, Double.NaN);
      GruOps.forward(xt, pt, lengths, h0t, s.gates, s.hnPre, s.hiddens, out);
      GruOps.backward(xt, pt, lengths, h0t, s.gates, s.hnPre, s.hiddens, s.work, s.carry, ct.castTo(type), dx, dh0, grads);
      INDArray[] ga = arrays(grads);
      INDArray[] all = new INDArray[3 + ga.length];
      all[0] = out;
      all[1] = dx;
      all[2] = dh0;
      System.arraycopy(ga, 0, all, 3, ga.length);
      results.put(type, all);
    }
    INDArray[] r64 = results.get(DataType.DOUBLE);
    INDArray[] r32 = results.get(DataType.FLOAT);
    for (int i = 0; i < r64.length; i++) {
      assertEquals(DataType.FLOAT, r32[i].dataType());
      assertClose("result " + i, r64[i], r32[i], 1e-5);
    }
  }

  @Test
  void rejectsBadShapesAndLengths() {
    int b = 2, t = 3, e = 3, h = 2;
    GruParams p = randomParams(71, e, h, DataType.DOUBLE);
    INDArray x = Nd4j.create(DataType.DOUBLE, b, t, e);
    Buffers s = new Buffers(DataType.DOUBLE, b, t, e, h, 0.0);
    INDArray out = Nd4j.create(DataType.DOUBLE, b, h);
    assertThrows(IllegalArgumentException.class,
        () -> GruOps.forward(x, p, Nd4j.createFromArray(3, 4), null, s.gates, s.hnPre, s.hiddens, out));
    assertThrows(IllegalArgumentException.class,
        () -> GruOps.forward(x, p, Nd4j.createFromArray(-1, 2), null, s.gates, s.hnPre, s.hiddens, out));
    assertThrows(IllegalArgumentException.class,
        () -> GruOps.forward(x, p, Nd4j.createFromArray(1.5, 2.0), null, s.gates, s.hnPre, s.hiddens, out));
    assertThrows(IllegalArgumentException.class,
        () -> GruOps.forward(x, p, Nd4j.createFromArray(1, 2, 3), null, s.gates, s.hnPre, s.hiddens, out));
    assertThrows(IllegalArgumentException.class,
        () -> GruOps.forward(x, p, null, null, Nd4j.create(DataType.DOUBLE, b, t, h), s.hnPre, s.hiddens, out));
    assertThrows(IllegalArgumentException.class,
        () -> GruOps.forward(x, p, null, null, s.gates, s.hnPre, s.hiddens, Nd4j.create(DataType.DOUBLE, b, t + 1, h)));
    assertThrows(IllegalArgumentException.class,
        () -> GruOps.forward(Nd4j.create(DataType.DOUBLE, b, t, e + 1), p, null, null, s.gates, s.hnPre, s.hiddens, out));
    assertThrows(IllegalArgumentException.class,
        () -> GruOps.forward(x, p, null, Nd4j.create(DataType.DOUBLE, b, h + 1), s.gates, s.hnPre, s.hiddens, out));
    assertThrows(IllegalArgumentException.class,
        () -> new GruParams(p.irKernel(), p.irBias(), p.hrKernel(), p.izKernel(), p.izBias(), p.hzKernel(),
            p.inKernel(), p.inBias(), Nd4j.create(DataType.DOUBLE, e, h), p.hnBias()));
  }

  private static GruParams fixtureParams(String prefix) {
    INDArray[] a = new INDArray[NAMES.length];
    for (int i = 0; i < NAMES.length; i++) {
      a[i] = P.get(prefix + NAMES[i]);
    }
    return params(a);
  }

  private static void assertGrads(String prefix, GruParams grads) {
    INDArray[] g = arrays(grads);
    for (int i = 0; i < NAMES.length; i++) {
      assertClose(prefix + NAMES[i], P.get(prefix + NAMES[i]), g[i], GRAD_TOL);
    }
  }

  private static GruParams randomParams(long seed, int e, int h, DataType type) {
    INDArray[] a = new INDArray[NAMES.length];
    for (int i = 0; i < NAMES.length; i++) {
      long[] shape = NAMES[i].endsWith("bias") ? new long[] {h}
          : NAMES[i].startsWith("h") ? new long[] {h, h} : new long[] {e, h};
      a[i] = GradientCheck.randn(seed * 100 + i, shape).muli(0.6).castTo(type);
    }
    return params(a);
  }

  private static GruParams params(Map<String, INDArray> in) {
    INDArray[] a = new INDArray[NAMES.length];
    for (int i = 0; i < NAMES.length; i++) {
      a[i] = in.get(NAMES[i]);
    }
    return params(a);
  }

  private static GruParams params(INDArray[] a) {
    return new GruParams(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
  }

  private static INDArray[] arrays(GruParams p) {
    return new INDArray[] {
      p.irKernel(), p.irBias(), p.hrKernel(), p.izKernel(), p.izBias(), p.hzKernel(),
      p.inKernel(), p.inBias(), p.hnKernel(), p.hnBias()
    };
  }

  /** Arrays shaped like {@code p}'s, filled with {@code value}. */
  private static GruParams like(GruParams p, double value) {
    INDArray[] a = arrays(p);
    INDArray[] out = new INDArray[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = Nd4j.valueArrayOf(a[i].shape(), value, a[i].dataType());
    }
    return params(out);
  }

  private static INDArray[] cast(INDArray[] a, DataType type) {
    INDArray[] out = new INDArray[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].castTo(type);
    }
    return out;
  }

  /** Exact equality of the values (INDArray's equals allows a difference of 1e-5). */
  private static void assertSameValues(String what, INDArray expected, INDArray actual) {
    assertEquals(expected.length(), actual.length(), what + ": length");
    assertArrayEquals(values(expected), values(actual), what);
  }

  private static double[] values(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  private static INDArray nan(DataType type, long... shape) {
    return Nd4j.valueArrayOf(shape, Double.NaN, type);
  }

  /** The scratch of one forward and backward pass, filled with {@code fill}. */
  private static final class Buffers {
    final INDArray gates;
    final INDArray hnPre;
    final INDArray hiddens;
    final INDArray work;
    final INDArray carry;

    Buffers(DataType type, long b, long t, long e, long h, double fill) {
      gates = Nd4j.valueArrayOf(new long[] {b, t, 3 * h}, fill, type);
      hnPre = Nd4j.valueArrayOf(new long[] {b, t, h}, fill, type);
      hiddens = Nd4j.valueArrayOf(new long[] {b, t, h}, fill, type);
      work = Nd4j.valueArrayOf(new long[] {b, 3 * h}, fill, type);
      carry = Nd4j.valueArrayOf(new long[] {b, h}, fill, type);
    }
  }

  /** Buffers carved out of one float64 array, each filled with garbage, with a zero gap after each. */
  private static final class Arena {
    private static final int SIZE = 1000;
    private final INDArray data = Nd4j.create(DataType.DOUBLE, SIZE);
    private final List<Long> gaps = new ArrayList<>();
    private long next = 3;

    INDArray take(long... shape) {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      INDArray view = data.get(interval(next, next + n)).reshape('c', true, shape);
      view.assign(7.0);
      gaps.add(next + n);
      next += n + 2;
      assertTrue(next < SIZE, "arena too small");
      return view;
    }

    void assertGapsUntouched() {
      for (long gap : gaps) {
        assertEquals(0.0, data.getDouble(gap), 0.0, "arena cell " + gap);
      }
      assertEquals(0.0, data.getDouble(2), 0.0, "arena cell 2");
    }
  }
}
