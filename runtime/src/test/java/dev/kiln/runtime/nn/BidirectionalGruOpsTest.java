package dev.kiln.runtime.nn;

import static dev.kiln.runtime.nn.ParityAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.kiln.runtime.testing.GradientCheck;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** No Flax fixture for a bidirectional GRU: checked against GruOps per direction and by finite differences. */
class BidirectionalGruOpsTest {
  private static final String[] CELL = {
    "ir/kernel", "ir/bias", "hr/kernel", "iz/kernel", "iz/bias", "hz/kernel", "in/kernel", "in/bias",
    "hn/kernel", "hn/bias"
  };

  /** The 20 Flax paths in the order of {@link BidirectionalGruParams}' components. */
  private static final String[] NAMES = new String[20];

  static {
    for (int k = 0; k < 10; k++) {
      NAMES[k] = "forward_rnn/cell/" + CELL[k];
      NAMES[10 + k] = "backward_rnn/cell/" + CELL[k];
    }
  }

  @Test
  void sequenceModeGradientsWithRaggedLengthsMatchFiniteDifferences() {
    checkGradients(true, Nd4j.createFromArray(5, 2, 3));
  }

  @Test
  void lastModeGradientsWithRaggedLengthsMatchFiniteDifferences() {
    checkGradients(false, Nd4j.createFromArray(5f, 2f, 0f));
  }

  /** B = 3, T = 5, E = 3, H = 4, loss sum(out * ct) with ct nonzero at the padded steps too. */
  private static void checkGradients(boolean sequence, INDArray lengths) {
    int b = 3;
    int t = 5;
    int e = 3;
    int h = 4;
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    inputs.put("x", GradientCheck.randn(240, b, t, e));
    INDArray[] a = arrays(randomParams(e, h, 241));
    for (int k = 0; k < NAMES.length; k++) {
      inputs.put(NAMES[k], a[k]);
    }
    Buffers buf = new Buffers(b, t, e, h, sequence, shape -> nan(DataType.DOUBLE, shape));
    long[] outShape = sequence ? new long[] {b, t, 2 * h} : new long[] {b, 2 * h};
    Function<Map<String, INDArray>, INDArray> f = in -> {
      INDArray out = Nd4j.create(DataType.DOUBLE, outShape);
      BidirectionalGruOps.forward(in.get("x"), params(in::get), lengths, buf.reversed, buf.gates, buf.hnPre,
          buf.hiddens, buf.halves, out);
      return out;
    };
    GradientCheck.of(inputs)
        .eps(1e-5)
        .check(f, (in, ct) -> {
          f.apply(in);
          BidirectionalGruParams grads = params(name -> Nd4j.valueArrayOf(in.get(name).shape(), 7.0, DataType.DOUBLE));
          INDArray dx = Nd4j.valueArrayOf(new long[] {b, t, e}, 7.0, DataType.DOUBLE);
          BidirectionalGruOps.backward(in.get("x"), params(in::get), lengths, buf.reversed, buf.gates, buf.hnPre,
              buf.hiddens, buf.halves, buf.work, buf.carry, ct, buf.dHalves, buf.dReversed, dx, grads);
          Map<String, INDArray> g = new LinkedHashMap<>();
          g.put("x", dx);
          INDArray[] ga = arrays(grads);
          for (int k = 0; k < NAMES.length; k++) {
            g.put(NAMES[k], ga[k]);
          }
          return g;
        });
  }

  /** The backward half is a GRU run on the reversed rows, each cut to its length. */
  @Test
  void directionsAreGrusOnTheRowsAndTheirReversal() {
    BidirectionalGruParams p = randomParams(3, 4, 250);
    INDArray x = GradientCheck.randn(251, 2, 6, 3);
    int[] len = {6, 4};
    Buffers buf = new Buffers(2, 6, 3, 4, true, shape -> nan(DataType.DOUBLE, shape));
    INDArray ys = Nd4j.create(DataType.DOUBLE, 2, 6, 8);
    BidirectionalGruOps.forward(x, p, Nd4j.createFromArray(len), buf.reversed, buf.gates, buf.hnPre, buf.hiddens,
        buf.halves, ys);
    Buffers last = new Buffers(2, 6, 3, 4, false, shape -> nan(DataType.DOUBLE, shape));
    INDArray finals = Nd4j.create(DataType.DOUBLE, 2, 8);
    BidirectionalGruOps.forward(x, p, Nd4j.createFromArray(len), last.reversed, last.gates, last.hnPre,
        last.hiddens, last.halves, finals);
    for (int r = 0; r < 2; r++) {
      int l = len[r];
      INDArray row = x.get(interval(r, r + 1), interval(0, l), all()).dup();
      INDArray rev = Nd4j.create(DataType.DOUBLE, 1, l, 3);
      for (int s = 0; s < l; s++) {
        rev.get(point(0), point(s), all()).assign(row.get(point(0), point(l - 1 - s), all()));
      }
      INDArray fwd = gru(row, p.forward());
      INDArray bwd = gru(rev, p.backward());
      for (int s = 0; s < l; s++) {
        assertClose("forward h, row " + r + " step " + s, fwd.get(point(0), point(s), all()),
            ys.get(point(r), point(s), interval(0, 4)), 1e-12);
        assertClose("backward h, row " + r + " step " + s, bwd.get(point(0), point(l - 1 - s), all()),
            ys.get(point(r), point(s), interval(4, 8)), 1e-12);
      }
      assertClose("final forward h, row " + r, fwd.get(point(0), point(l - 1), all()),
          finals.get(point(r), interval(0, 4)), 1e-12);
      assertClose("final backward h, row " + r, bwd.get(point(0), point(l - 1), all()),
          finals.get(point(r), interval(4, 8)), 1e-12);
    }
  }

  /** Generated code may carve buffers out of one arena; results are overwritten, not accumulated. */
  @Test
  void worksOnOffsetViewsAndOverwritesItsResults() {
    for (boolean sequence : new boolean[] {true, false}) {
      BidirectionalGruParams p = randomParams(3, 4, 260);
      INDArray x = GradientCheck.randn(261, 2, 5, 3);
      INDArray lengths = Nd4j.createFromArray(5, 2);
      long[] outShape = sequence ? new long[] {2, 5, 8} : new long[] {2, 8};
      INDArray dOut = GradientCheck.randn(262, outShape);
      Buffers fresh = new Buffers(2, 5, 3, 4, sequence, shape -> nan(DataType.DOUBLE, shape));
      INDArray outFresh = Nd4j.create(DataType.DOUBLE, outShape);
      INDArray dxFresh = Nd4j.create(DataType.DOUBLE, 2, 5, 3);
      INDArray[] pa = arrays(p);
      BidirectionalGruParams gFresh = params(name -> Nd4j.create(DataType.DOUBLE, pa[index(name)].shape()));
      BidirectionalGruOps.forward(x, p, lengths, fresh.reversed, fresh.gates, fresh.hnPre, fresh.hiddens,
          fresh.halves, outFresh);
      BidirectionalGruOps.backward(x, p, lengths, fresh.reversed, fresh.gates, fresh.hnPre, fresh.hiddens,
          fresh.halves, fresh.work, fresh.carry, dOut, fresh.dHalves, fresh.dReversed, dxFresh, gFresh);

      INDArray arena = Nd4j.valueArrayOf(new long[] {4000}, 7.0, DataType.DOUBLE);
      long[] at = {3};
      Function<long[], INDArray> carve = shape -> {
        long n = Arrays.stream(shape).reduce(1, (u, v) -> u * v);
        INDArray v = arena.get(interval(at[0], at[0] + n)).reshape('c', true, shape);
        at[0] += n + 1;
        return v;
      };
      Buffers buf = new Buffers(2, 5, 3, 4, sequence, carve);
      INDArray out = carve.apply(outShape);
      INDArray dx = carve.apply(new long[] {2, 5, 3});
      BidirectionalGruParams grads = params(name -> carve.apply(pa[index(name)].shape()));
      for (int pass = 0; pass < 2; pass++) {
        BidirectionalGruOps.forward(x, p, lengths, buf.reversed, buf.gates, buf.hnPre, buf.hiddens, buf.halves,
            out);
        BidirectionalGruOps.backward(x, p, lengths, buf.reversed, buf.gates, buf.hnPre, buf.hiddens, buf.halves,
            buf.work, buf.carry, dOut, buf.dHalves, buf.dReversed, dx, grads);
        assertClose("out", outFresh, out, 1e-12);
        assertClose("dx", dxFresh, dx, 1e-12);
        INDArray[] g = arrays(grads);
        INDArray[] gf = arrays(gFresh);
        for (int k = 0; k < NAMES.length; k++) {
          assertClose(NAMES[k], gf[k], g[k], 1e-12);
        }
      }
      assertEquals(7.0, arena.getDouble(2), 0.0);
      assertEquals(7.0, arena.getDouble(at[0] - 1), 0.0);
    }
  }

  @Test
  void paramsSplitIntoTheTwoDirectionsOverTheSameArrays() {
    BidirectionalGruParams p = randomParams(3, 4, 270);
    assertSame(p.forwardIrKernel(), p.forward().irKernel());
    assertSame(p.forwardHnBias(), p.forward().hnBias());
    assertSame(p.backwardIrKernel(), p.backward().irKernel());
    assertSame(p.backwardHzKernel(), p.backward().hzKernel());
    assertEquals(3, p.inputFeatures());
    assertEquals(4, p.hiddenFeatures());
    INDArray[] a = arrays(p);
    a[10] = Nd4j.create(DataType.DOUBLE, 2, 4); // backward ir/kernel of another E
    assertThrows(IllegalArgumentException.class, () -> of(a));
  }

  private static INDArray gru(INDArray x, GruParams p) {
    long b = x.size(0);
    long t = x.size(1);
    long h = p.features();
    INDArray out = Nd4j.create(DataType.DOUBLE, b, t, h);
    GruOps.forward(x, p, null, null, Nd4j.create(DataType.DOUBLE, b, t, 3 * h),
        Nd4j.create(DataType.DOUBLE, b, t, h), Nd4j.create(DataType.DOUBLE, b, t, h), out);
    return out;
  }

  private static final class Buffers {
    final INDArray reversed;
    final INDArray gates;
    final INDArray hnPre;
    final INDArray hiddens;
    final INDArray halves;
    final INDArray work;
    final INDArray carry;
    final INDArray dHalves;
    final INDArray dReversed;

    Buffers(int b, int t, int e, int h, boolean sequence, Function<long[], INDArray> alloc) {
      long[] half = sequence ? new long[] {2, b, t, h} : new long[] {2, b, h};
      reversed = alloc.apply(new long[] {b, t, e});
      gates = alloc.apply(new long[] {2, b, t, 3 * h});
      hnPre = alloc.apply(new long[] {2, b, t, h});
      hiddens = alloc.apply(new long[] {2, b, t, h});
      halves = alloc.apply(half);
      work = alloc.apply(new long[] {b, 3 * h});
      carry = alloc.apply(new long[] {b, h});
      dHalves = alloc.apply(half);
      dReversed = alloc.apply(new long[] {b, t, e});
    }
  }

  private static BidirectionalGruParams params(Function<String, INDArray> byName) {
    INDArray[] a = new INDArray[NAMES.length];
    for (int k = 0; k < NAMES.length; k++) {
      a[k] = byName.apply(NAMES[k]);
    }
    return of(a);
  }

  private static BidirectionalGruParams of(INDArray[] a) {
    return new BidirectionalGruParams(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9],
        a[10], a[11], a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19]);
  }

  private static INDArray[] arrays(BidirectionalGruParams p) {
    return new INDArray[] {
      p.forwardIrKernel(), p.forwardIrBias(), p.forwardHrKernel(), p.forwardIzKernel(), p.forwardIzBias(),
      p.forwardHzKernel(), p.forwardInKernel(), p.forwardInBias(), p.forwardHnKernel(), p.forwardHnBias(),
      p.backwardIrKernel(), p.backwardIrBias(), p.backwardHrKernel(), p.backwardIzKernel(), p.backwardIzBias(),
      p.backwardHzKernel(), p.backwardInKernel(), p.backwardInBias(), p.backwardHnKernel(), p.backwardHnBias()
    };
  }

  private static int index(String name) {
    return Arrays.asList(NAMES).indexOf(name);
  }

  private static BidirectionalGruParams randomParams(int e, int h, long seed) {
    return params(name -> GradientCheck.randn(seed + index(name),
        name.endsWith("bias") ? new long[] {h} : new long[] {name.contains("/cell/i") ? e : h, h}).muli(0.6));
  }

  private static INDArray nan(DataType type, long... shape) {
    return Nd4j.valueArrayOf(shape, Double.NaN, type);
  }
}
