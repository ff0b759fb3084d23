package dev.kiln.runtime.nn;

import static dev.kiln.runtime.nn.ParityAssertions.GRAD_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.OUTPUT_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import dev.kiln.runtime.testing.GradientCheck;
import dev.kiln.runtime.testing.Parity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LstmOpsTest {
  private static final Parity P = Parity.ops();

  /** Flax's parameter names, in the order of {@link LstmParams}' components. */
  private static final String[] NAMES = {
    "ii/kernel", "hi/kernel", "hi/bias", "if/kernel", "hf/kernel", "hf/bias",
    "ig/kernel", "hg/kernel", "hg/bias", "io/kernel", "ho/kernel", "ho/bias"
  };

  /** nn.RNN(LSTMCell(5), return_carry=True) on x [2, 7, 4] with seq_lengths [7, 3]; loss sum(h * ct_h). */
  @Test
  void matchesFlaxRnnWithLengths() {
    INDArray x = P.get("lstm_scan/x");
    INDArray lengths = P.get("lstm_scan/lengths");
    assertEquals(DataType.INT, lengths.dataType());
    LstmParams p = params(name -> P.get("lstm_scan/params/cell/" + name));
    Buffers buf = new Buffers(2, 7, 5, DataType.FLOAT);

    INDArray ys = nan(2, 7, 5);
    LstmOps.forward(x, p, lengths, buf.gates, buf.cells, buf.hiddens, ys);
    // all of Flax's outputs, also at the padded steps 3..6 of row 1 (the recurrence continued)
    assertClose("ys", P.get("lstm_scan/ys"), ys, OUTPUT_TOL);

    INDArray h = nan(2, 5);
    LstmOps.forward(x, p, lengths, buf.gates, buf.cells, buf.hiddens, h);
    assertClose("h", P.get("lstm_scan/h"), h, OUTPUT_TOL);
    INDArray c = Nd4j.vstack(buf.cells.get(point(0), point(6), all()).reshape(1, 5),
        buf.cells.get(point(1), point(2), all()).reshape(1, 5));
    assertClose("c", P.get("lstm_scan/c"), c, OUTPUT_TOL);

    INDArray dx = nan(2, 7, 4);
    LstmParams grads = params(name -> nan(P.get("lstm_scan/params/cell/" + name).shape()));
    LstmOps.backward(x, p, lengths, buf.gates, buf.cells, buf.hiddens, buf.work, buf.carry,
        P.get("lstm_scan/ct_h"), dx, grads);
    assertClose("grad_x", P.get("lstm_scan/grad_x"), dx, GRAD_TOL);
    for (int k = 0; k < NAMES.length; k++) {
      assertClose("grad/cell/" + NAMES[k], P.get("lstm_scan/grad/cell/" + NAMES[k]), arrays(grads)[k], GRAD_TOL);
    }
  }

  /** One LSTMCell(5) step from a given carry; loss sum(c' * ct_c) + sum(h' * ct_h). */
  @Test
  void matchesFlaxCellFromAGivenCarry() {
    INDArray x = P.get("lstm_cell/x").reshape(3, 1, 4);
    INDArray c0 = P.get("lstm_cell/c0");
    INDArray h0 = P.get("lstm_cell/h0");
    LstmParams p = params(name -> P.get("lstm_cell/params/" + name));
    Buffers buf = new Buffers(3, 1, 5, DataType.FLOAT);

    INDArray h = nan(3, 5);
    LstmOps.forward(x, p, null, c0, h0, buf.gates, buf.cells, buf.hiddens, h);
    assertClose("h", P.get("lstm_cell/h"), h, OUTPUT_TOL);
    assertClose("c", P.get("lstm_cell/c"), buf.cells.get(all(), point(0), all()), OUTPUT_TOL);

    INDArray dx = nan(3, 1, 4);
    INDArray dc0 = nan(3, 5);
    INDArray dh0 = nan(3, 5);
    LstmParams grads = params(name -> nan(P.get("lstm_cell/params/" + name).shape()));
    LstmOps.backward(x, p, null, c0, h0, buf.gates, buf.cells, buf.hiddens, buf.work, buf.carry,
        P.get("lstm_cell/ct_h"), P.get("lstm_cell/ct_c"), dx, grads, dc0, dh0);
    assertClose("grad_x", P.get("lstm_cell/grad_x"), dx.reshape(3, 4), GRAD_TOL);
    assertClose("grad_c0", P.get("lstm_cell/grad_c0"), dc0, GRAD_TOL);
    assertClose("grad_h0", P.get("lstm_cell/grad_h0"), dh0, GRAD_TOL);
    for (int k = 0; k < NAMES.length; k++) {
      assertClose("grad/" + NAMES[k], P.get("lstm_cell/grad/" + NAMES[k]), arrays(grads)[k], GRAD_TOL);
    }
  }

  @Test
  void lastModeGradientsWithRaggedLengthsMatchFiniteDifferences() {
    checkGradients(false, Nd4j.createFromArray(5f, 2f, 3f), false);
  }

  @Test
  void sequenceModeGradientsWithRaggedLengthsMatchFiniteDifferences() {
    checkGradients(true, Nd4j.createFromArray(5, 2, 3), false);
  }

  /** With an initial carry, a length 0 (the carry is the initial one) and the final c as an output. */
  @Test
  void gradientsWithAnInitialCarryMatchFiniteDifferences() {
    checkGradients(false, Nd4j.createFromArray(5L, 0L, 3L), true);
  }

  /**
   * B = 3, T = 5, E = 3, H = 4. Without a carry the loss is sum(out * ct); with one it is over
   * [out, c_final] and the initial carry's gradients are checked too.
   */
  private static void checkGradients(boolean sequence, INDArray lengths, boolean withCarry) {
    int b = 3;
    int t = 5;
    int e = 3;
    int h = 4;
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    inputs.put("x", GradientCheck.randn(40, b, t, e));
    for (int k = 0; k < NAMES.length; k++) {
      long[] shape = NAMES[k].endsWith("bias") ? new long[] {h} : new long[] {NAMES[k].startsWith("i") ? e : h, h};
      inputs.put(NAMES[k], GradientCheck.randn(41 + k, shape).muli(0.6));
    }
    if (withCarry) {
      inputs.put("c0", GradientCheck.randn(60, b, h));
      inputs.put("h0", GradientCheck.randn(61, b, h).muli(0.5));
    }
    Buffers buf = new Buffers(b, t, h, DataType.DOUBLE);
    long[] outShape = sequence ? new long[] {b, t, h} : new long[] {b, h};
    int[] len = lengths.toIntVector();
    Function<Map<String, INDArray>, INDArray> f = in -> {
      INDArray out = Nd4j.create(DataType.DOUBLE, outShape);
      LstmOps.forward(in.get("x"), params(in::get), lengths, in.get("c0"), in.get("h0"),
          buf.gates, buf.cells, buf.hiddens, out);
      if (!withCarry) {
        return out;
      }
      INDArray cLast = Nd4j.create(DataType.DOUBLE, b, h);
      for (int r = 0; r < b; r++) {
        cLast.getRow(r).assign(len[r] == 0 ? in.get("c0").getRow(r) : buf.cells.get(point(r), point(len[r] - 1), all()));
      }
      return Nd4j.hstack(out, cLast);
    };
    GradientCheck.of(inputs)
        .check(f, (in, ct) -> {
          f.apply(in);
          INDArray dOut = withCarry ? ct.get(all(), interval(0, h)) : ct;
          INDArray dcLast = withCarry ? ct.get(all(), interval(h, 2 * h)).dup() : null;
          LstmParams grads = params(name -> Nd4j.valueArrayOf(in.get(name).shape(), 7.0, DataType.DOUBLE));
          INDArray dx = Nd4j.valueArrayOf(new long[] {b, t, e}, 7.0, DataType.DOUBLE);
          INDArray dc0 = withCarry ? Nd4j.create(DataType.DOUBLE, b, h) : null;
          INDArray dh0 = withCarry ? Nd4j.create(DataType.DOUBLE, b, h) : null;
          LstmOps.backward(in.get("x"), params(in::get), lengths, in.get("c0"), in.get("h0"),
              buf.gates, buf.cells, buf.hiddens, buf.work, buf.carry, dOut.dup(), dcLast, dx, grads, dc0, dh0);
          Map<String, INDArray> g = new LinkedHashMap<>();
          g.put("x", dx);
          for (int k = 0; k < NAMES.length; k++) {
            g.put(NAMES[k], arrays(grads)[k]);
          }
          if (withCarry) {
            g.put("c0", dc0);
            g.put("h0", dh0);
          }
          return g;
        });
  }

  /** At padded steps a sequence's output is Flax's continued recurrence, and its carry is untouched. */
  @Test
  void paddingDoesNotChangeTheFinalState() {
    LstmParams p = randomParams(3, 4, 70);
    INDArray x = GradientCheck.randn(71, 2, 6, 3);
    INDArray lengths = Nd4j.createFromArray(4, 6);
    Buffers buf = new Buffers(2, 6, 4, DataType.DOUBLE);
    INDArray h = Nd4j.create(DataType.DOUBLE, 2, 4);
    LstmOps.forward(x, p, lengths, buf.gates, buf.cells, buf.hiddens, h);

    // row 0 alone, cut to its 4 real steps
    Buffers short4 = new Buffers(1, 4, 4, DataType.DOUBLE);
    INDArray h0 = Nd4j.create(DataType.DOUBLE, 1, 4);
    LstmOps.forward(x.get(interval(0, 1), interval(0, 4), all()).dup(), p, null,
        short4.gates, short4.cells, short4.hiddens, h0);
    assertClose("final h of a padded row", h0, h.getRow(0).reshape(1, 4), 1e-12);
    assertTrue(buf.hiddens.get(point(0), point(5), all()).sub(h.getRow(0)).amaxNumber().doubleValue() > 1e-3,
        "the recurrence goes on over the padding");
  }

  @Test
  void backwardWritesIntoTheGivenArraysAndOverwritesThem() {
    LstmParams p = randomParams(3, 4, 80);
    INDArray x = GradientCheck.randn(81, 2, 5, 3);
    INDArray lengths = Nd4j.createFromArray(5, 3);
    INDArray ct = GradientCheck.randn(82, 2, 4);
    Buffers buf = new Buffers(2, 5, 4, DataType.DOUBLE);

    LstmParams fresh = zerosLike(p);
    INDArray dxFresh = Nd4j.create(DataType.DOUBLE, 2, 5, 3);
    LstmOps.forward(x, p, lengths, buf.gates, buf.cells, buf.hiddens, Nd4j.create(DataType.DOUBLE, 2, 4));
    LstmOps.backward(x, p, lengths, buf.gates, buf.cells, buf.hiddens, buf.work, buf.carry, ct, dxFresh, fresh);

    LstmParams grads = params(name -> Nd4j.valueArrayOf(arrays(p)[index(name)].shape(), 7.0, DataType.DOUBLE));
    INDArray[] before = arrays(grads);
    INDArray dx = Nd4j.valueArrayOf(new long[] {2, 5, 3}, 7.0, DataType.DOUBLE);
    INDArray out = Nd4j.valueArrayOf(new long[] {2, 4}, 7.0, DataType.DOUBLE);
    buf.work.assign(7.0);
    buf.carry.assign(7.0);
    LstmOps.forward(x, p, lengths, buf.gates, buf.cells, buf.hiddens, out);
    LstmOps.backward(x, p, lengths, buf.gates, buf.cells, buf.hiddens, buf.work, buf.carry, ct, dx, grads);
    for (int k = 0; k < NAMES.length; k++) {
      assertSame(before[k], arrays(grads)[k]);
      assertClose(NAMES[k], arrays(fresh)[k], arrays(grads)[k], 0);
    }
    assertClose("dx", dxFresh, dx, 0);

    // dx == null skips the input gradient and changes nothing else
    LstmOps.forward(x, p, lengths, buf.gates, buf.cells, buf.hiddens, out);
    LstmOps.backward(x, p, lengths, buf.gates, buf.cells, buf.hiddens, buf.work, buf.carry, ct, null, grads);
    for (int k = 0; k < NAMES.length; k++) {
      assertClose(NAMES[k] + " without dx", arrays(fresh)[k], arrays(grads)[k], 0);
    }
  }

  /** Generated code may carve buffers out of one arena: offset views work for every array. */
  @Test
  void worksOnOffsetViewsOfALargerBuffer() {
    LstmParams p = randomParams(3, 4, 85);
    INDArray x = GradientCheck.randn(86, 2, 5, 3);
    INDArray lengths = Nd4j.createFromArray(5, 0);
    INDArray c0 = GradientCheck.randn(87, 2, 4);
    INDArray h0 = GradientCheck.randn(88, 2, 4);
    INDArray dOut = GradientCheck.randn(89, 2, 4);
    Buffers fresh = new Buffers(2, 5, 4, DataType.DOUBLE);
    INDArray outFresh = Nd4j.create(DataType.DOUBLE, 2, 4);
    INDArray dxFresh = Nd4j.create(DataType.DOUBLE, 2, 5, 3);
    INDArray dh0Fresh = Nd4j.create(DataType.DOUBLE, 2, 4);
    LstmParams gFresh = zerosLike(p);
    LstmOps.forward(x, p, lengths, c0, h0, fresh.gates, fresh.cells, fresh.hiddens, outFresh);
    LstmOps.backward(x, p, lengths, c0, h0, fresh.gates, fresh.cells, fresh.hiddens, fresh.work, fresh.carry,
        dOut, null, dxFresh, gFresh, null, dh0Fresh);

    INDArray arena = Nd4j.valueArrayOf(new long[] {1000}, 7.0, DataType.DOUBLE);
    long[] at = {3};
    Function<long[], INDArray> carve = shape -> {
      long n = java.util.Arrays.stream(shape).reduce(1, (u, v) -> u * v);
      INDArray v = arena.get(interval(at[0], at[0] + n)).reshape('c', true, shape);
      at[0] += n + 1;
      return v;
    };
    INDArray gates = carve.apply(new long[] {2, 5, 16});
    INDArray cells = carve.apply(new long[] {2, 5, 4});
    INDArray hiddens = carve.apply(new long[] {2, 5, 4});
    INDArray work = carve.apply(new long[] {2, 16});
    INDArray carry = carve.apply(new long[] {2, 8});
    INDArray out = carve.apply(new long[] {2, 4});
    INDArray dx = carve.apply(new long[] {2, 5, 3});
    INDArray dh0 = carve.apply(new long[] {2, 4});
    LstmParams grads = params(name -> carve.apply(arrays(p)[index(name)].shape()));
    LstmOps.forward(x, p, lengths, c0, h0, gates, cells, hiddens, out);
    LstmOps.backward(x, p, lengths, c0, h0, gates, cells, hiddens, work, carry, dOut, null, dx, grads, null, dh0);
    assertClose("out", outFresh, out, 1e-12);
    assertClose("out of the empty row is h0", h0.getRow(1), out.getRow(1), 0);
    assertClose("dx", dxFresh, dx, 1e-12);
    assertClose("dh0", dh0Fresh, dh0, 1e-12);
    for (int k = 0; k < NAMES.length; k++) {
      assertClose(NAMES[k], arrays(gFresh)[k], arrays(grads)[k], 1e-12);
    }
    assertEquals(7.0, arena.getDouble(2), 0.0);
    assertEquals(7.0, arena.getDouble(at[0] - 1), 0.0);
  }

  @Test
  void sequenceOutputMayBeTheHiddensAndFloat32AgreesWithFloat64() {
    LstmParams p = randomParams(3, 4, 90);
    INDArray x = GradientCheck.randn(91, 2, 5, 3);
    INDArray lengths = Nd4j.createFromArray(2.0, 5.0);
    INDArray ct = GradientCheck.randn(92, 2, 5, 4);
    Buffers b64 = new Buffers(2, 5, 4, DataType.DOUBLE);
    INDArray y64 = Nd4j.create(DataType.DOUBLE, 2, 5, 4);
    LstmOps.forward(x, p, lengths, b64.gates, b64.cells, b64.hiddens, y64);
    assertClose("out is the hiddens", b64.hiddens, y64, 0);
    LstmParams g64 = zerosLike(p);
    INDArray dx64 = Nd4j.create(DataType.DOUBLE, 2, 5, 3);
    LstmOps.backward(x, p, lengths, b64.gates, b64.cells, b64.hiddens, b64.work, b64.carry, ct, dx64, g64);

    LstmParams p32 = params(name -> arrays(p)[index(name)].castTo(DataType.FLOAT));
    Buffers b32 = new Buffers(2, 5, 4, DataType.FLOAT);
    LstmOps.forward(x.castTo(DataType.FLOAT), p32, lengths, b32.gates, b32.cells, b32.hiddens, b32.hiddens);
    assertClose("y", y64, b32.hiddens, 1e-6);
    LstmParams g32 = params(name -> Nd4j.create(DataType.FLOAT, arrays(p)[index(name)].shape()));
    INDArray dx32 = Nd4j.create(DataType.FLOAT, 2, 5, 3);
    LstmOps.backward(x.castTo(DataType.FLOAT), p32, lengths, b32.gates, b32.cells, b32.hiddens, b32.work,
        b32.carry, ct.castTo(DataType.FLOAT), dx32, g32);
    assertClose("dx", dx64, dx32, 1e-5);
    for (int k = 0; k < NAMES.length; k++) {
      assertClose(NAMES[k], arrays(g64)[k], arrays(g32)[k], 1e-5);
    }
  }

  @Test
  void rejectsBadLengthsAndShapes() {
    LstmParams p = randomParams(3, 4, 95);
    INDArray x = GradientCheck.randn(96, 2, 5, 3);
    Buffers buf = new Buffers(2, 5, 4, DataType.DOUBLE);
    INDArray out = Nd4j.create(DataType.DOUBLE, 2, 4);
    assertThrows(IllegalArgumentException.class,
        () -> LstmOps.forward(x, p, Nd4j.createFromArray(6, 2), buf.gates, buf.cells, buf.hiddens, out));
    assertThrows(IllegalArgumentException.class,
        () -> LstmOps.forward(x, p, Nd4j.createFromArray(-1, 2), buf.gates, buf.cells, buf.hiddens, out));
    assertThrows(IllegalArgumentException.class,
        () -> LstmOps.forward(x, p, Nd4j.createFromArray(1, 2, 3), buf.gates, buf.cells, buf.hiddens, out));
    assertThrows(IllegalArgumentException.class,
        () -> LstmOps.forward(x, p, null, Nd4j.create(DataType.DOUBLE, 2, 5, 8), buf.cells, buf.hiddens, out));
    assertThrows(IllegalArgumentException.class,
        () -> LstmOps.forward(x, p, null, buf.gates, buf.cells, buf.hiddens, Nd4j.create(DataType.DOUBLE, 2, 3)));
    assertThrows(IllegalArgumentException.class,
        () -> LstmOps.forward(x.castTo(DataType.FLOAT), p, null, buf.gates, buf.cells, buf.hiddens, out));
    assertThrows(IllegalArgumentException.class,
        () -> new LstmParams(Nd4j.create(3, 4), Nd4j.create(4, 4), Nd4j.create(4), Nd4j.create(3, 4),
            Nd4j.create(4, 4), Nd4j.create(4), Nd4j.create(3, 4), Nd4j.create(4, 5), Nd4j.create(4),
            Nd4j.create(3, 4), Nd4j.create(4, 4), Nd4j.create(4)));
  }

  /** The scratch and state arrays of one LSTM: gates [B, T, 4H], cells and hiddens [B, T, H], work, carry. */
  private static final class Buffers {
    final INDArray gates;
    final INDArray cells;
    final INDArray hiddens;
    final INDArray work;
    final INDArray carry;

    Buffers(int b, int t, int h, DataType type) {
      gates = Nd4j.valueArrayOf(new long[] {b, t, 4 * h}, Double.NaN, type);
      cells = Nd4j.valueArrayOf(new long[] {b, t, h}, Double.NaN, type);
      hiddens = Nd4j.valueArrayOf(new long[] {b, t, h}, Double.NaN, type);
      work = Nd4j.valueArrayOf(new long[] {b, 4 * h}, Double.NaN, type);
      carry = Nd4j.valueArrayOf(new long[] {b, 2 * h}, Double.NaN, type);
    }
  }

  private static LstmParams params(Function<String, INDArray> byName) {
    INDArray[] a = new INDArray[NAMES.length];
    for (int k = 0; k < NAMES.length; k++) {
      a[k] = byName.apply(NAMES[k]);
    }
    return new LstmParams(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11]);
  }

  private static INDArray[] arrays(LstmParams p) {
    return new INDArray[] {
      p.iiKernel(), p.hiKernel(), p.hiBias(), p.ifKernel(), p.hfKernel(), p.hfBias(),
      p.igKernel(), p.hgKernel(), p.hgBias(), p.ioKernel(), p.hoKernel(), p.hoBias()
    };
  }

  private static int index(String name) {
    return java.util.Arrays.asList(NAMES).indexOf(name);
  }

  private static LstmParams randomParams(int e, int h, long seed) {
    return params(name -> GradientCheck.randn(seed + index(name),
        name.endsWith("bias") ? new long[] {h} : new long[] {name.startsWith("i") ? e : h, h}).muli(0.6));
  }

  private static LstmParams zerosLike(LstmParams p) {
    return params(name -> Nd4j.create(arrays(p)[index(name)].dataType(), arrays(p)[index(name)].shape()));
  }

  private static INDArray nan(long... shape) {
    return Nd4j.valueArrayOf(shape, Double.NaN, DataType.FLOAT);
  }
}
