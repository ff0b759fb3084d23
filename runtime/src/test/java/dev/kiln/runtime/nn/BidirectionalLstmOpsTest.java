package dev.kiln.runtime.nn;

import static dev.kiln.runtime.nn.ParityAssertions.GRAD_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.OUTPUT_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.kiln.runtime.testing.GradientCheck;
import dev.kiln.runtime.testing.Parity;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BidirectionalLstmOpsTest {
  private static final Parity P = Parity.ops2();

  /** Flax's parameter names, in the order of {@link LstmParams}' components. */
  private static final String[] CELL = {
    "ii/kernel", "hi/kernel", "hi/bias", "if/kernel", "hf/kernel", "hf/bias",
    "ig/kernel", "hg/kernel", "hg/bias", "io/kernel", "ho/kernel", "ho/bias"
  };

  /** The 24 Flax paths in the order of {@link BidirectionalLstmParams}' components. */
  private static final String[] NAMES = new String[24];

  static {
    for (int k = 0; k < 12; k++) {
      NAMES[k] = "forward_rnn/cell/" + CELL[k];
      NAMES[12 + k] = "backward_rnn/cell/" + CELL[k];
    }
  }

  /**
   * nn.Bidirectional(RNN(LSTMCell(4)), RNN(LSTMCell(4))) on x [2, 5, 3] with lengths [5, 3]; loss
   * sum(ys * ct), ct zero at the padded steps.
   */
  @Test
  void matchesFlaxBidirectionalWithLengths() {
    INDArray x = P.get("bilstm/x");
    INDArray lengths = P.get("bilstm/lengths");
    BidirectionalLstmParams p = params(name -> P.get("bilstm/params/" + name));
    Buffers buf = new Buffers(2, 5, 3, 4, true, DataType.FLOAT);

    INDArray ys = nan(DataType.FLOAT, 2, 5, 8);
    BidirectionalLstmOps.forward(x, p, lengths, buf.reversed, buf.gates, buf.cells, buf.hiddens, buf.halves, ys);
    INDArray ct = P.get("bilstm/ct");
    INDArray mask = ct.neq(0).castTo(DataType.FLOAT);
    assertEquals((5 + 3) * 8, mask.sumNumber().intValue(), "ct is nonzero exactly at the real steps");
    assertClose("ys at the real steps", P.get("bilstm/ys").mul(mask), ys.mul(mask), OUTPUT_TOL);
    // Flax's outputs at the padded steps too: flip_sequences reverses the padding as well
    assertClose("ys", P.get("bilstm/ys"), ys, OUTPUT_TOL);

    INDArray dx = nan(DataType.FLOAT, 2, 5, 3);
    BidirectionalLstmParams grads = params(name -> nan(DataType.FLOAT, P.get("bilstm/params/" + name).shape()));
    BidirectionalLstmOps.backward(x, p, lengths, buf.reversed, buf.gates, buf.cells, buf.hiddens, buf.halves,
        buf.work, buf.carry, ct, buf.dHalves, buf.dReversed, dx, grads);
    assertClose("grad_x", P.get("bilstm/grad_x"), dx, GRAD_TOL);
    INDArray[] g = arrays(grads);
    for (int k = 0; k < NAMES.length; k++) {
      assertClose("grad/" + NAMES[k], P.get("bilstm/grad/" + NAMES[k]), g[k], GRAD_TOL);
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
    inputs.put("x", GradientCheck.randn(140, b, t, e));
    BidirectionalLstmParams init = randomParams(e, h, 141);
    INDArray[] a = arrays(init);
    for (int k = 0; k < NAMES.length; k++) {
      inputs.put(NAMES[k], a[k]);
    }
    Buffers buf = new Buffers(b, t, e, h, sequence, DataType.DOUBLE);
    long[] outShape = sequence ? new long[] {b, t, 2 * h} : new long[] {b, 2 * h};
    Function<Map<String, INDArray>, INDArray> f = in -> {
      INDArray out = Nd4j.create(DataType.DOUBLE, outShape);
      BidirectionalLstmOps.forward(in.get("x"), params(in::get), lengths, buf.reversed, buf.gates, buf.cells,
          buf.hiddens, buf.halves, out);
      return out;
    };
    // eps 1e-5: the loss sums 2H outputs of every step, so 1e-6 leaves round-off of ~1e-9 in the
    // differences, above the tolerance for the smallest gradients
    GradientCheck.of(inputs)
        .eps(1e-5)
        .check(f, (in, ct) -> {
          f.apply(in);
          BidirectionalLstmParams grads =
              params(name -> Nd4j.valueArrayOf(in.get(name).shape(), 7.0, DataType.DOUBLE));
          INDArray dx = Nd4j.valueArrayOf(new long[] {b, t, e}, 7.0, DataType.DOUBLE);
          BidirectionalLstmOps.backward(in.get("x"), params(in::get), lengths, buf.reversed, buf.gates,
              buf.cells, buf.hiddens, buf.halves, buf.work, buf.carry, ct, buf.dHalves, buf.dReversed, dx, grads);
          Map<String, INDArray> g = new LinkedHashMap<>();
          g.put("x", dx);
          INDArray[] ga = arrays(grads);
          for (int k = 0; k < NAMES.length; k++) {
            g.put(NAMES[k], ga[k]);
          }
          return g;
        });
  }

  /** The backward half is an LSTM run on the reversed rows, each cut to its length. */
  @Test
  void directionsAreLstmsOnTheRowsAndTheirReversal() {
    BidirectionalLstmParams p = randomParams(3, 4, 150);
    INDArray x = GradientCheck.randn(151, 2, 6, 3);
    int[] len = {6, 4};
    Buffers buf = new Buffers(2, 6, 3, 4, true, DataType.DOUBLE);
    INDArray ys = Nd4j.create(DataType.DOUBLE, 2, 6, 8);
    BidirectionalLstmOps.forward(x, p, Nd4j.createFromArray(len), buf.reversed, buf.gates, buf.cells,
        buf.hiddens, buf.halves, ys);
    Buffers last = new Buffers(2, 6, 3, 4, false, DataType.DOUBLE);
    INDArray finals = Nd4j.create(DataType.DOUBLE, 2, 8);
    BidirectionalLstmOps.forward(x, p, Nd4j.createFromArray(len), last.reversed, last.gates, last.cells,
        last.hiddens, last.halves, finals);
    for (int r = 0; r < 2; r++) {
      int l = len[r];
      INDArray row = x.get(interval(r, r + 1), interval(0, l), all()).dup();
      INDArray rev = Nd4j.create(DataType.DOUBLE, 1, l, 3);
      for (int s = 0; s < l; s++) {
        rev.get(point(0), point(s), all()).assign(row.get(point(0), point(l - 1 - s), all()));
      }
      INDArray fwd = lstm(row, p.forward());
      INDArray bwd = lstm(rev, p.backward());
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
      BidirectionalLstmParams p = randomParams(3, 4, 160);
      INDArray x = GradientCheck.randn(161, 2, 5, 3);
      INDArray lengths = Nd4j.createFromArray(5, 2);
      long[] outShape = sequence ? new long[] {2, 5, 8} : new long[] {2, 8};
      INDArray dOut = GradientCheck.randn(162, outShape);
      Buffers fresh = new Buffers(2, 5, 3, 4, sequence, DataType.DOUBLE);
      INDArray outFresh = Nd4j.create(DataType.DOUBLE, outShape);
      INDArray dxFresh = Nd4j.create(DataType.DOUBLE, 2, 5, 3);
      BidirectionalLstmParams gFresh = zerosLike(p);
      BidirectionalLstmOps.forward(x, p, lengths, fresh.reversed, fresh.gates, fresh.cells, fresh.hiddens,
          fresh.halves, outFresh);
      BidirectionalLstmOps.backward(x, p, lengths, fresh.reversed, fresh.gates, fresh.cells, fresh.hiddens,
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
      INDArray[] pa = arrays(p);
      BidirectionalLstmParams grads = params(name -> carve.apply(pa[index(name)].shape()));
      for (int pass = 0; pass < 2; pass++) {
        BidirectionalLstmOps.forward(x, p, lengths, buf.reversed, buf.gates, buf.cells, buf.hiddens, buf.halves,
            out);
        BidirectionalLstmOps.backward(x, p, lengths, buf.reversed, buf.gates, buf.cells, buf.hiddens,
            buf.halves, buf.work, buf.carry, dOut, buf.dHalves, buf.dReversed, dx, grads);
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

      // dx == null skips the input gradient (and dReversed) and changes nothing else
      BidirectionalLstmOps.forward(x, p, lengths, buf.reversed, buf.gates, buf.cells, buf.hiddens, buf.halves, out);
      BidirectionalLstmOps.backward(x, p, lengths, buf.reversed, buf.gates, buf.cells, buf.hiddens, buf.halves,
          buf.work, buf.carry, dOut, buf.dHalves, null, null, grads);
      INDArray[] g = arrays(grads);
      INDArray[] gf = arrays(gFresh);
      for (int k = 0; k < NAMES.length; k++) {
        assertClose(NAMES[k] + " without dx", gf[k], g[k], 1e-12);
      }
    }
  }

  @Test
  void paramsSplitIntoTheTwoDirectionsOverTheSameArrays() {
    BidirectionalLstmParams p = randomParams(3, 4, 170);
    assertSame(p.forwardIiKernel(), p.forward().iiKernel());
    assertSame(p.forwardHoBias(), p.forward().hoBias());
    assertSame(p.backwardIiKernel(), p.backward().iiKernel());
    assertSame(p.backwardHgKernel(), p.backward().hgKernel());
    assertEquals(3, p.inputFeatures());
    assertEquals(4, p.hiddenFeatures());
    INDArray[] a = arrays(p);
    a[12] = Nd4j.create(DataType.DOUBLE, 2, 4); // backward ii/kernel of another E
    assertThrows(IllegalArgumentException.class, () -> of(a));
  }

  @Test
  void rejectsBadShapes() {
    BidirectionalLstmParams p = randomParams(3, 4, 180);
    INDArray x = GradientCheck.randn(181, 2, 5, 3);
    Buffers buf = new Buffers(2, 5, 3, 4, true, DataType.DOUBLE);
    INDArray out = Nd4j.create(DataType.DOUBLE, 2, 5, 8);
    assertThrows(IllegalArgumentException.class, () -> BidirectionalLstmOps.forward(x, p, null, buf.reversed,
        Nd4j.create(DataType.DOUBLE, 2, 5, 16), buf.cells, buf.hiddens, buf.halves, out));
    assertThrows(IllegalArgumentException.class, () -> BidirectionalLstmOps.forward(x, p, null, buf.reversed,
        buf.gates, buf.cells, buf.hiddens, Nd4j.create(DataType.DOUBLE, 2, 2, 4), out));
    assertThrows(IllegalArgumentException.class, () -> BidirectionalLstmOps.forward(x, p, null, buf.reversed,
        buf.gates, buf.cells, buf.hiddens, buf.halves, Nd4j.create(DataType.DOUBLE, 2, 5, 4)));
    assertThrows(IllegalArgumentException.class, () -> BidirectionalLstmOps.forward(x, p,
        Nd4j.createFromArray(6, 1), buf.reversed, buf.gates, buf.cells, buf.hiddens, buf.halves, out));
    INDArray strided = Nd4j.create(DataType.DOUBLE, 2, 2, 5, 8).get(all(), all(), all(), interval(0, 4));
    assertThrows(IllegalArgumentException.class, () -> BidirectionalLstmOps.forward(x, p, null, buf.reversed,
        buf.gates, buf.cells, strided, buf.halves, out));
  }

  /** One direction alone through {@link LstmOps}, sequence mode, no lengths. */
  private static INDArray lstm(INDArray x, LstmParams p) {
    long b = x.size(0);
    long t = x.size(1);
    long h = p.hiddenFeatures();
    INDArray hiddens = Nd4j.create(DataType.DOUBLE, b, t, h);
    LstmOps.forward(x, p, null, Nd4j.create(DataType.DOUBLE, b, t, 4 * h), Nd4j.create(DataType.DOUBLE, b, t, h),
        hiddens, hiddens);
    return hiddens;
  }

  /** The scratch arrays of one bidirectional LSTM, one array each, as generated code allocates them. */
  private static final class Buffers {
    final INDArray reversed;
    final INDArray gates;
    final INDArray cells;
    final INDArray hiddens;
    final INDArray halves;
    final INDArray work;
    final INDArray carry;
    final INDArray dHalves;
    final INDArray dReversed;

    Buffers(int b, int t, int e, int h, boolean sequence, DataType type) {
      this(b, t, e, h, sequence, shape -> nan(type, shape));
    }

    Buffers(int b, int t, int e, int h, boolean sequence, Function<long[], INDArray> alloc) {
      long[] half = sequence ? new long[] {2, b, t, h} : new long[] {2, b, h};
      reversed = alloc.apply(new long[] {b, t, e});
      gates = alloc.apply(new long[] {2, b, t, 4 * h});
      cells = alloc.apply(new long[] {2, b, t, h});
      hiddens = alloc.apply(new long[] {2, b, t, h});
      halves = alloc.apply(half);
      work = alloc.apply(new long[] {b, 4 * h});
      carry = alloc.apply(new long[] {b, 2 * h});
      dHalves = alloc.apply(half);
      dReversed = alloc.apply(new long[] {b, t, e});
    }
  }

  private static BidirectionalLstmParams params(Function<String, INDArray> byName) {
    INDArray[] a = new INDArray[NAMES.length];
    for (int k = 0; k < NAMES.length; k++) {
      a[k] = byName.apply(NAMES[k]);
    }
    return of(a);
  }

  private static BidirectionalLstmParams of(INDArray[] a) {
    return new BidirectionalLstmParams(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11],
        a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20], a[21], a[22], a[23]);
  }

  private static INDArray[] arrays(BidirectionalLstmParams p) {
    return new INDArray[] {
      p.forwardIiKernel(), p.forwardHiKernel(), p.forwardHiBias(), p.forwardIfKernel(), p.forwardHfKernel(),
      p.forwardHfBias(), p.forwardIgKernel(), p.forwardHgKernel(), p.forwardHgBias(), p.forwardIoKernel(),
      p.forwardHoKernel(), p.forwardHoBias(),
      p.backwardIiKernel(), p.backwardHiKernel(), p.backwardHiBias(), p.backwardIfKernel(), p.backwardHfKernel(),
      p.backwardHfBias(), p.backwardIgKernel(), p.backwardHgKernel(), p.backwardHgBias(), p.backwardIoKernel(),
      p.backwardHoKernel(), p.backwardHoBias()
    };
  }

  private static int index(String name) {
    return Arrays.asList(NAMES).indexOf(name);
  }

  private static BidirectionalLstmParams randomParams(int e, int h, long seed) {
    return params(name -> GradientCheck.randn(seed + index(name),
        name.endsWith("bias") ? new long[] {h} : new long[] {name.contains("/cell/i") ? e : h, h}).muli(0.6));
  }

  private static BidirectionalLstmParams zerosLike(BidirectionalLstmParams p) {
    INDArray[] a = arrays(p);
    return params(name -> Nd4j.create(a[index(name)].dataType(), a[index(name)].shape()));
  }

  private static INDArray nan(DataType type, long... shape) {
    return Nd4j.valueArrayOf(shape, Double.NaN, type);
  }
}
