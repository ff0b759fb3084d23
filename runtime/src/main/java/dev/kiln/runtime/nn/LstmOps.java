package dev.kiln.runtime.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;

/**
 * Flax's {@code nn.RNN(nn.LSTMCell(features=H), return_carry=True)} over batch-major sequences
 * {@code x [B, T, E]}, with {@code seq_lengths}. One step of the cell, from the carry {@code (c,
 * h)} and the input {@code x_t} ({@link LstmParams} names the kernels):
 *
 * <pre>
 *   i = sigmoid(x_t ii + h hi + b_hi)      f = sigmoid(x_t if + h hf + b_hf)
 *   g = tanh(x_t ig + h hg + b_hg)         o = sigmoid(x_t io + h ho + b_ho)
 *   c' = f c + i g                         h' = o tanh(c')
 * </pre>
 *
 * The carry starts at zeros (Flax's {@code initialize_carry}) or at a given {@code (c0, h0)}.
 *
 * <p><b>Lengths.</b> Exactly as Flax, the recurrence runs over all {@code T} steps of every row and
 * the final carry of row {@code b} is the one after its last real step {@code length[b] - 1}: the
 * state after its last real token, untouched by the padding after it. In "last" mode {@code out
 * [B, H]} is that final {@code h}. In "sequence" mode {@code out [B, T, H]} is every step's {@code
 * h}, and at padded steps {@code t >= length[b]} it is what Flax's {@code nn.RNN} outputs there
 * (checked against the {@code lstm_scan/ys} fixture): the recurrence continued over the padding
 * inputs, not zeros. A model that uses those outputs uses them in Flax too, and the gradient
 * follows Flax as well: {@code dOut} at padded steps flows back through the padded steps into the
 * real ones, while in "last" mode (and with {@code dOut} zero at padded steps) no gradient reaches a
 * padded step. A length of 0 gives the initial carry; this is the one deliberate difference from
 * Flax, whose index {@code length - 1 = -1} wraps around to the carry after all {@code T} steps.
 *
 * <p><b>Backpropagation through time.</b> With {@code z} the pre-activations of the gates and
 * {@code dh, dc} the gradients reaching step {@code t} (from the output and from step {@code t+1}):
 *
 * <pre>
 *   do = dh tanh(c')                       dz_o = do o (1 - o)       (sigmoid' = s (1 - s))
 *   dc = dc + dh o (1 - tanh(c')^2)
 *   di = dc g                              dz_i = di i (1 - i)
 *   dg = dc i                              dz_g = dg (1 - g^2)       (tanh' = 1 - tanh^2)
 *   df = dc c                              dz_f = df f (1 - f)
 *   to step t-1:  dc_prev = dc f           dh_prev = dz W_h^T
 *   parameters, summed over all steps:   dW_x = sum x_t^T dz      dW_h = sum h_{t-1}^T dz
 *                                        db = sum dz               dx_t = dz W_x^T
 * </pre>
 *
 * <p><b>Layout and cost.</b> The four gates are fused: {@code W_x [E, 4H]} and {@code W_h [H, 4H]}
 * (copied from the twelve parameters on every call), columns in the order {@code (i, f, o, g)} so
 * that the three sigmoid gates are one block. The sigmoid gates' weights are halved in the forward
 * copy, so that one {@code tanh} over all four gates and {@code sigmoid(z) = (1 + tanh(z / 2)) / 2}
 * give every activation (libnd4j's sigmoid costs several times its tanh). {@code forward} projects
 * all steps' inputs with one gemm, then per step does one gemm and eight element-wise ops on views;
 * {@code backward} does per step one gemm and sixteen element-wise ops, keeping each step's {@code
 * dz} in place of its gates, so that {@code dx} and the parameter gradients are gemms over all
 * steps at once (see {@code parameterGradients} for {@code dW_h}). The ops are tiny ({@code [B,
 * H]}), so the cost is ND4J's per-op overhead: both passes are recorded once per set of arrays as
 * an {@link OpPlan} (views and native op contexts built once, kept in a {@link PlanCache}) and
 * replayed on later calls with the same arrays, which is what generated code does on every step.
 * What depends on the lengths is written into small arrays the plan reads ({@code forward}'s
 * gather rows, {@code backward}'s last-step mask), so the recorded ops never change.
 *
 * <p><b>Buffers.</b> The caller gives every result and scratch array, all of one floating type
 * (float32 or float64): {@code gates [B, T, 4H]} (the gate activations, then in {@code backward}
 * their pre-activation gradients), {@code cells [B, T, H]} (every step's {@code c}) and {@code
 * hiddens [B, T, H]} (every step's {@code h}) are written by {@code forward} and consumed by {@code
 * backward}, which overwrites {@code gates} and {@code cells}: run {@code forward} again before
 * another {@code backward}. These three, {@code x} and {@code dx} must be C-ordered contiguous (see
 * {@link Reshapes#asMatrix}); {@code lengths} may have any numeric type. Each thread keeps the plans
 * of its last eight sets of arrays for each pass, and with them references to those arrays.
 */
public final class LstmOps {
  /** The column block of the fused weights of each Flax gate, in Flax's order {@code i, f, g, o}. */
  private static final int[] BLOCK = {0, 1, 3, 2};

  /** Plans for the arrays of the last few calls of this thread (a few models or layers in turn). */
  private static final PlanCache<Forward> FORWARD = new PlanCache<>(8);
  private static final PlanCache<Backward> BACKWARD = new PlanCache<>(8);

  private LstmOps() {}

  /**
   * {@link #forward(INDArray, LstmParams, INDArray, INDArray, INDArray, INDArray, INDArray, INDArray,
   * INDArray)} from a zero carry.
   */
  public static void forward(
      INDArray x, LstmParams p, INDArray lengths, INDArray gates, INDArray cells, INDArray hiddens,
      INDArray out) {
    forward(x, p, lengths, null, null, gates, cells, hiddens, out);
  }

  /**
   * Runs the LSTM over the sequences.
   *
   * @param x {@code [B, T, E]}
   * @param lengths {@code [B]} sequence lengths in {@code [0, T]}, any numeric type; {@code null}
   *     for all {@code T}
   * @param c0 the initial cell state {@code [B, H]}; {@code null} for zeros
   * @param h0 the initial hidden state {@code [B, H]}; {@code null} for zeros
   * @param gates {@code [B, T, 4H]} scratch, receives the gate activations; keep for {@link
   *     #backward}
   * @param cells {@code [B, T, H]}, receives every step's cell state; keep for {@link #backward}
   * @param hiddens {@code [B, T, H]}, receives every step's hidden state; keep for {@link
   *     #backward}
   * @param out {@code [B, H]} ("last" mode): receives each row's final {@code h}; or {@code [B, T,
   *     H]} ("sequence" mode): receives every step's {@code h} (it may be {@code hiddens} itself)
   */
  public static void forward(
      INDArray x, LstmParams p, INDArray lengths, INDArray c0, INDArray h0, INDArray gates,
      INDArray cells, INDArray hiddens, INDArray out) {
    Dims d = Dims.of(x, p, gates, cells, hiddens, out);
    d.requireState("c0", c0);
    d.requireState("h0", h0);
    int[] len = lengths(lengths, d);
    Forward plan = FORWARD.get(key(p, x, c0, h0, gates, cells, hiddens, out),
        () -> Forward.build(d, x, p, c0, h0, gates, cells, hiddens, out));
    plan.input.assign(x);
    if (!d.sequence) {
      // out[b] = h at step length[b] - 1: rows b T + length[b] - 1 of hiddens seen as [B * T, H]
      int[] rows = new int[d.b];
      for (int b = 0; b < d.b; b++) {
        rows[b] = b * d.t + Math.max(len[b] - 1, 0);
      }
      plan.lastRows.data().setData(rows);
    }
    plan.ops.run();
    if (d.sequence) {
      return;
    }
    for (int b = 0; b < d.b; b++) {
      if (len[b] == 0) {
        INDArray row = out.getRow(b);
        if (h0 == null) {
          row.assign(0);
        } else {
          row.assign(h0.getRow(b));
        }
      }
    }
  }

  /**
   * The recorded forward pass of one set of arrays; it reads the input from its own copy {@code
   * input}, and {@code lastRows} ("last" mode) selects the outputs.
   */
  private record Forward(OpPlan ops, INDArray input, INDArray lastRows) implements AutoCloseable {
    static Forward build(Dims d, INDArray x, LstmParams p, INDArray c0, INDArray h0, INDArray gates,
        INDArray cells, INDArray hiddens, INDArray out) {
      OpPlan plan = new OpPlan();
      INDArray input = Nd4j.create(x.dataType(), x.shape());
      // sigmoid(z) = (1 + tanh(z / 2)) / 2: halving the sigmoid gates' weights lets one tanh cover
      // all four gates (libnd4j's sigmoid costs several times its tanh)
      INDArray w = fusedWeights(plan, p, d, 0.5);
      INDArray wx = w.get(interval(0, d.e), all());
      INDArray wh = w.get(interval(d.e, d.e + d.h), all());
      INDArray half = Nd4j.scalar(d.type, 0.5);

      // z = x W_x + b for all steps at once; the recurrent part is added step by step.
      INDArray z = Reshapes.asMatrix(gates, 4 * d.h, "LSTM gates");
      plan.matmul(Reshapes.asMatrix(input, d.e, "LSTM input"), wx, z, false, false, 1.0, 0.0);
      plan.add(z, w.get(point(d.e + d.h), all()), z);
      INDArray cPrev = c0;
      INDArray hPrev = h0;
      for (int t = 0; t < d.t; t++) {
        INDArray c = step(cells, t);
        INDArray h = step(hiddens, t);
        INDArray zt = gate(gates, t, 0, 4, d.h);
        INDArray sig = gate(gates, t, 0, 3, d.h); // i, f, o
        if (hPrev != null) {
          plan.matmul(hPrev, wh, zt, false, false, 1.0, 1.0); // z_t += h_{t-1} W_h
        }
        plan.tanh(zt, zt);
        plan.mul(sig, half, sig);
        plan.add(sig, half, sig);
        plan.mul(gate(gates, t, 0, 1, d.h), gate(gates, t, 3, 4, d.h), c); // c' = i g
        if (cPrev != null) {
          plan.mul(gate(gates, t, 1, 2, d.h), cPrev, h); // + f c, with h as the scratch
          plan.add(c, h, c);
        }
        plan.tanh(c, h); // h' = o tanh(c')
        plan.mul(h, gate(gates, t, 2, 3, d.h), h);
        cPrev = c;
        hPrev = h;
      }
      if (d.sequence) {
        if (out != hiddens) {
          plan.assign(hiddens, out);
        }
        return new Forward(plan, input, null);
      }
      INDArray rows = Nd4j.create(DataType.INT32, d.b);
      plan.op("gather", new INDArray[] {Reshapes.asMatrix(hiddens, d.h, "LSTM hiddens"), rows},
          new INDArray[] {out}, new long[] {0}, new double[0]);
      return new Forward(plan, input, rows);
    }

    @Override
    public void close() {
      ops.close();
    }
  }

  /**
   * {@link #backward(INDArray, LstmParams, INDArray, INDArray, INDArray, INDArray, INDArray,
   * INDArray, INDArray, INDArray, INDArray, INDArray, INDArray, LstmParams, INDArray, INDArray)}
   * from a zero carry, with no gradient for the final cell state nor for the initial carry.
   */
  public static void backward(
      INDArray x, LstmParams p, INDArray lengths, INDArray gates, INDArray cells, INDArray hiddens,
      INDArray work, INDArray carry, INDArray dOut, INDArray dx, LstmParams grads) {
    backward(x, p, lengths, null, null, gates, cells, hiddens, work, carry, dOut, null, dx, grads, null, null);
  }

  /**
   * The gradients of a scalar loss {@code L} by backpropagation through time; every result is
   * overwritten, not accumulated. {@code x, p, lengths, c0, h0} are those of the forward call whose
   * {@code gates, cells, hiddens} are given; this call overwrites {@code gates} and {@code cells}.
   *
   * @param work {@code [B, 4H]} scratch
   * @param carry {@code [B, 2H]} scratch
   * @param dOut {@code dL/dout}, shaped like the forward {@code out} (which selects the mode); C-ordered
   *     contiguous in "sequence" mode
   * @param dcLast {@code [B, H]}, the gradient of {@code L} with respect to each row's final cell
   *     state (the {@code c} of Flax's returned carry); {@code null} for none
   * @param dx receives {@code dL/dx}, {@code [B, T, E]}; {@code null} skips it (the input of an
   *     embedding needs none)
   * @param grads receives the gradients of the twelve parameters
   * @param dc0 receives {@code dL/dc0}, {@code [B, H]}; {@code null} skips it
   * @param dh0 receives {@code dL/dh0}, {@code [B, H]}; {@code null} skips it
   */
  public static void backward(
      INDArray x, LstmParams p, INDArray lengths, INDArray c0, INDArray h0, INDArray gates,
      INDArray cells, INDArray hiddens, INDArray work, INDArray carry, INDArray dOut,
      INDArray dcLast, INDArray dx, LstmParams grads, INDArray dc0, INDArray dh0) {
    Dims d = Dims.of(x, p, gates, cells, hiddens, dOut);
    d.requireState("c0", c0);
    d.requireState("h0", h0);
    d.requireState("dcLast", dcLast);
    d.requireState("dc0", dc0);
    d.requireState("dh0", dh0);
    d.require("work", work, d.b, 4 * d.h);
    d.require("carry", carry, d.b, 2 * d.h);
    if (dx != null) {
      d.require("dx", dx, x.shape());
    }
    if (grads.inputFeatures() != d.e || grads.hiddenFeatures() != d.h) {
      throw new IllegalArgumentException(
          "LSTM grads must be shaped like the parameters (E = " + d.e + ", H = " + d.h + "), got E = "
              + grads.inputFeatures() + ", H = " + grads.hiddenFeatures());
    }
    if (d.sequence) {
      Reshapes.asMatrix(dOut, d.h, "LSTM output gradient"); // contiguous, for the per-step views
    }
    int[] len = lengths(lengths, d);
    Backward plan = BACKWARD.get(
        key(p, x, c0, h0, gates, cells, hiddens, work, carry, dOut, dcLast, dx, dc0, dh0,
            grads.iiKernel(), grads.hiKernel(), grads.hiBias(), grads.ifKernel(), grads.hfKernel(),
            grads.hfBias(), grads.igKernel(), grads.hgKernel(), grads.hgBias(), grads.ioKernel(),
            grads.hoKernel(), grads.hoBias()),
        () -> Backward.build(d, x, p, c0, h0, gates, cells, hiddens, work, carry, dOut, dcLast, dx,
            grads, dc0, dh0));
    // 1 where a row's last real step is t ([B, T, 1]), and where a row is empty ([B, 1])
    double[] last = new double[d.b * d.t];
    double[] empty = new double[d.b];
    for (int b = 0; b < d.b; b++) {
      if (len[b] > 0) {
        last[b * d.t + len[b] - 1] = 1;
      } else {
        empty[b] = 1;
      }
    }
    plan.lastStep.data().setData(last);
    plan.empty.data().setData(empty);
    plan.input.assign(x);
    plan.ops.run();
  }

  /**
   * The recorded backward pass of one set of arrays. The gradient reaching each step's {@code h}
   * from the output, {@code dOut} at every step in "sequence" mode, is in "last" mode {@code dOut}
   * masked by {@code lastStep} (filled per call from the lengths), written into a {@code [B, T, H]}
   * array by one broadcast multiply, so that the recorded ops do not depend on the lengths.
   */
  private record Backward(OpPlan ops, INDArray input, INDArray lastStep, INDArray empty) implements AutoCloseable {
    static Backward build(Dims d, INDArray x, LstmParams p, INDArray c0, INDArray h0, INDArray gates,
        INDArray cells, INDArray hiddens, INDArray work, INDArray carry, INDArray dOut, INDArray dcLast,
        INDArray dx, LstmParams grads, INDArray dc0, INDArray dh0) {
      OpPlan plan = new OpPlan();
      INDArray input = Nd4j.create(x.dataType(), x.shape());
      INDArray w = fusedWeights(plan, p, d, 1.0);
      INDArray wx = w.get(interval(0, d.e), all());
      INDArray wh = w.get(interval(d.e, d.e + d.h), all());
      INDArray zero = Nd4j.scalar(d.type, 0.0);
      INDArray lastStep = Nd4j.create(d.type, d.b, d.t, 1);
      INDArray empty = Nd4j.create(d.type, d.b, 1);

      INDArray dc = block(carry, 0, 1, d.h);
      INDArray dh = block(carry, 1, 2, d.h);
      plan.assign(zero, carry);
      INDArray di = block(work, 0, 1, d.h);
      INDArray df = block(work, 1, 2, d.h);
      INDArray dO = block(work, 2, 3, d.h);
      INDArray dg = block(work, 3, 4, d.h);
      INDArray dSig = block(work, 0, 3, d.h);
      INDArray dhOut = d.sequence ? dOut : lastStepGradient(plan, dOut, lastStep, d);
      INDArray dcOut = dcLast == null ? null : lastStepGradient(plan, dcLast, lastStep, d);
      INDArray c = step(cells, d.t - 1);
      for (int t = d.t - 1; t >= 0; t--) {
        INDArray i = gate(gates, t, 0, 1, d.h);
        INDArray f = gate(gates, t, 1, 2, d.h);
        INDArray o = gate(gates, t, 2, 3, d.h);
        INDArray g = gate(gates, t, 3, 4, d.h);
        INDArray sig = gate(gates, t, 0, 3, d.h);
        INDArray cPrev = t > 0 ? step(cells, t - 1) : c0;
        plan.add(dh, step(dhOut, t), dh);
        if (dcOut != null) {
          plan.add(dc, step(dcOut, t), dc);
        }
        // dc += dh o (1 - tanh(c')^2); df is the scratch
        plan.mul(dh, o, dg);
        plan.tanhBackward(c, dg, df);
        plan.add(dc, df, dc);
        plan.tanh(c, c); // cells[:, t] is not needed any more: it now holds tanh(c')
        plan.mul(dh, c, dO);
        plan.mul(dc, g, di);
        plan.mul(dc, i, dg);
        if (cPrev != null) {
          plan.mul(dc, cPrev, df);
        } else {
          plan.assign(zero, df);
        }
        plan.mul(dc, f, dc); // dc_prev
        // dz over the sigmoid block (i, f, o): dA a (1 - a) = dA a - (dA a) a, over the activations
        plan.mul(dSig, sig, dSig);
        plan.mul(dSig, sig, sig);
        plan.sub(dSig, sig, sig);
        // dz_g = dg (1 - g^2) = dg - (g g) dg
        plan.mul(g, g, g);
        plan.mul(g, dg, g);
        plan.sub(dg, g, g);
        if (t > 0 || dh0 != null) {
          plan.matmul(gate(gates, t, 0, 4, d.h), wh, dh, false, true, 1.0, 0.0); // dh_prev = dz W_h^T
        }
        c = cPrev;
      }
      // a row of length 0 ends where it starts: its final carry is the initial one
      if (dh0 != null) {
        if (!d.sequence) {
          plan.mul(dOut, empty, dO);
          plan.add(dh, dO, dh);
        }
        plan.assign(dh, dh0);
      }
      if (dc0 != null) {
        if (dcLast != null) {
          plan.mul(dcLast, empty, dO);
          plan.add(dc, dO, dc);
        }
        plan.assign(dc, dc0);
      }
      parameterGradients(plan, input, h0, gates, hiddens, d, grads);
      if (dx != null) {
        plan.matmul(Reshapes.asMatrix(gates, 4 * d.h, "LSTM gates"), wx,
            Reshapes.asMatrix(dx, d.e, "LSTM dx"), false, true, 1.0, 0.0);
      }
      return new Backward(plan, input, lastStep, empty);
    }

    /** {@code g [B, H]} at each row's last step, zero elsewhere: {@code [B, T, H]}, recorded. */
    private static INDArray lastStepGradient(OpPlan plan, INDArray g, INDArray lastStep, Dims d) {
      INDArray steps = Nd4j.create(d.type, d.b, d.t, d.h);
      INDArray g3 = Nd4j.create(g.data(), new long[] {d.b, 1, d.h}, new long[] {g.stride(0), 1, g.stride(1)},
          g.offset(), 'c', d.type);
      plan.mul(g3, lastStep, steps);
      return steps;
    }

    @Override
    public void close() {
      ops.close();
    }
  }

  /**
   * {@code dW_x = sum x_t^T dz_t}, {@code db = sum dz_t}, {@code dW_h = sum h_{t-1}^T dz_t} with
   * {@code dz} in {@code gates}, recorded into a fused {@code [E + H + 1, 4H]} gradient that is then
   * split into the twelve. With the steps as rows {@code r = b T + t} of matrices, {@code h_{t-1}} is
   * row {@code r - 1} of the hiddens except at {@code t = 0}, so {@code dW_h} is one gemm of the
   * hiddens without their last row by {@code dz} without its first, minus the pairs that straddle
   * two sequences ({@code h[b-1, T-1]} with {@code dz[b, 0]}), plus {@code h0^T dz[:, 0]}.
   */
  private static void parameterGradients(
      OpPlan plan, INDArray x, INDArray h0, INDArray gates, INDArray hiddens, Dims d, LstmParams grads) {
    INDArray x2 = Reshapes.asMatrix(x, d.e, "LSTM input");
    INDArray z = Reshapes.asMatrix(gates, 4 * d.h, "LSTM gates");
    INDArray h2 = Reshapes.asMatrix(hiddens, d.h, "LSTM hiddens");
    long n = (long) d.b * d.t;
    INDArray dw = Nd4j.create(d.type, d.e + d.h + 1, 4 * d.h);
    INDArray dWx = dw.get(interval(0, d.e), all());
    INDArray dWh = dw.get(interval(d.e, d.e + d.h), all());
    plan.matmul(x2, z, dWx, true, false, 1.0, 0.0);
    plan.sumRows(z, dw.get(point(d.e + d.h), all()));
    if (d.t > 1) {
      plan.matmul(h2.get(interval(0, n - 1), all()), z.get(interval(1, n), all()), dWh, true, false, 1.0, 0.0);
      if (d.b > 1) {
        plan.matmul(hiddens.get(interval(0, d.b - 1), point(d.t - 1), all()),
            gates.get(interval(1, d.b), point(0), all()), dWh, true, false, -1.0, 1.0);
      }
    } else {
      plan.assign(Nd4j.scalar(d.type, 0.0), dWh);
    }
    if (h0 != null) {
      plan.matmul(h0, gates.get(all(), point(0), all()), dWh, true, false, 1.0, 1.0);
    }
    INDArray[] gWx = grads.inputKernels();
    INDArray[] gWh = grads.hiddenKernels();
    INDArray[] gb = grads.biases();
    for (int k = 0; k < 4; k++) {
      INDArrayIndex columns = interval(BLOCK[k] * d.h, (BLOCK[k] + 1) * d.h);
      plan.assign(dWx.get(all(), columns), gWx[k]);
      plan.assign(dWh.get(all(), columns), gWh[k]);
      plan.assign(dw.get(point(d.e + d.h), columns), gb[k]);
    }
  }

  /**
   * Records {@code w = [W_x; W_h; b]}, {@code [E + H + 1, 4H]}: the kernels and biases of the four
   * gates side by side in the column blocks {@link #BLOCK}, those of the sigmoid gates times
   * {@code sigmoidScale}. Returns {@code w}, whose values the plan refreshes from {@code p} on every
   * run (the optimizer updates the parameters in place).
   */
  private static INDArray fusedWeights(OpPlan plan, LstmParams p, Dims d, double sigmoidScale) {
    INDArray w = Nd4j.create(d.type, d.e + d.h + 1, 4 * d.h);
    INDArray[] wx = p.inputKernels();
    INDArray[] wh = p.hiddenKernels();
    INDArray[] b = p.biases();
    for (int k = 0; k < 4; k++) {
      INDArrayIndex columns = interval(BLOCK[k] * d.h, (BLOCK[k] + 1) * d.h);
      plan.assign(wx[k], w.get(interval(0, d.e), columns));
      plan.assign(wh[k], w.get(interval(d.e, d.e + d.h), columns));
      plan.assign(b[k], w.get(point(d.e + d.h), columns));
    }
    if (sigmoidScale != 1.0) {
      INDArray sigmoidColumns = w.get(all(), interval(0, 3 * d.h));
      plan.mul(sigmoidColumns, Nd4j.scalar(d.type, sigmoidScale), sigmoidColumns);
    }
    return w;
  }

  /**
   * The plan cache key of one call: the input's shape and type, and the parameters' and the other
   * arrays' memory. A plan reads the input from its own copy, because inputs are often new arrays on
   * every call (a model whose first layer is the LSTM gets each batch fresh from the data), which
   * would otherwise build a new plan per call.
   */
  private static Object[] key(LstmParams p, INDArray x, INDArray... arrays) {
    Object[] key = new Object[13 + arrays.length];
    int k = 0;
    key[k++] = Arrays.toString(x.shape()) + x.dataType();
    for (INDArray[] params : new INDArray[][] {p.inputKernels(), p.hiddenKernels(), p.biases()}) {
      for (INDArray param : params) {
        key[k++] = PlanCache.key(param);
      }
    }
    for (INDArray a : arrays) {
      key[k++] = PlanCache.key(a);
    }
    return key;
  }

  /** Step {@code t} of a contiguous batch-major {@code [B, T, F]} array: the view {@code [B, F]}. */
  private static INDArray step(INDArray a, int t) {
    return stepColumns(a, t, 0, a.size(2));
  }

  /** Gate blocks {@code from} to {@code to} of step {@code t} of {@code gates}: the view {@code [B, (to - from) H]}. */
  private static INDArray gate(INDArray gates, int t, int from, int to, long h) {
    return stepColumns(gates, t, from * h, to * h);
  }

  /**
   * Columns {@code [from, to)} of step {@code t} of a C-ordered contiguous {@code [B, T, F]} array,
   * built from its buffer: the per-step views are the hot path, and this costs about half of an
   * equivalent {@code get(all(), point(t), interval(from, to))}.
   */
  private static INDArray stepColumns(INDArray a, int t, long from, long to) {
    long f = a.size(2);
    return Nd4j.create(a.data(), new long[] {a.size(0), to - from}, new long[] {a.size(1) * f, 1},
        a.offset() + t * f + from, 'c', a.dataType());
  }

  /**
   * Columns {@code [from h, to h)} of a matrix: gate blocks {@code from} to {@code to}. Only whole
   * rows of such a view may be indexed further ({@code getRow}): ND4J 1.0.0-M2.1 returns broken
   * arrays for {@code get} with rows from an offset view that is not contiguous, so every other
   * view here is taken from the full array in one {@code get}.
   */
  private static INDArray block(INDArray m, int from, int to, long h) {
    return m.get(all(), interval(from * h, to * h));
  }

  /** The lengths as integers in {@code [0, T]}; all {@code T} for {@code null}. */
  private static int[] lengths(INDArray lengths, Dims d) {
    int[] len = new int[d.b];
    if (lengths == null) {
      Arrays.fill(len, d.t);
      return len;
    }
    if (lengths.rank() != 1 || lengths.length() != d.b) {
      throw new IllegalArgumentException(
          "LSTM lengths must be [" + d.b + "], got " + Arrays.toString(lengths.shape()));
    }
    double[] v = lengths.toDoubleVector();
    for (int b = 0; b < d.b; b++) {
      if (!(v[b] >= 0 && v[b] <= d.t && v[b] == Math.rint(v[b]))) {
        throw new IllegalArgumentException(
            "LSTM length " + v[b] + " of row " + b + " is not an integer in [0, " + d.t + "]");
      }
      len[b] = (int) v[b];
    }
    return len;
  }

  /** The sizes {@code B, T, E, H} and the mode, checked against every array. */
  private record Dims(int b, int t, long e, long h, boolean sequence, DataType type) {
    static Dims of(INDArray x, LstmParams p, INDArray gates, INDArray cells, INDArray hiddens, INDArray out) {
      if (x.rank() != 3 || x.size(2) != p.inputFeatures()) {
        throw new IllegalArgumentException(
            "LSTM input must be [B, T, " + p.inputFeatures() + "], got " + Arrays.toString(x.shape()));
      }
      Dims d = new Dims(Math.toIntExact(x.size(0)), Math.toIntExact(x.size(1)), p.inputFeatures(),
          p.hiddenFeatures(), out.rank() == 3, x.dataType());
      d.require("gates", gates, d.b, d.t, 4 * d.h);
      d.require("cells", cells, d.b, d.t, d.h);
      d.require("hiddens", hiddens, d.b, d.t, d.h);
      // the per-step views are built from the buffers of these three: they must be contiguous
      Reshapes.asMatrix(gates, 4 * d.h, "LSTM gates");
      Reshapes.asMatrix(cells, d.h, "LSTM cells");
      Reshapes.asMatrix(hiddens, d.h, "LSTM hiddens");
      if (d.sequence) {
        d.require("sequence output", out, d.b, d.t, d.h);
      } else {
        d.require("last output", out, d.b, d.h);
      }
      for (INDArray[] params : new INDArray[][] {p.inputKernels(), p.hiddenKernels(), p.biases()}) {
        for (INDArray param : params) {
          d.require("parameter", param, param.shape());
        }
      }
      return d;
    }

    void requireState(String what, INDArray a) {
      if (a != null) {
        require(what, a, b, h);
      }
    }

    void require(String what, INDArray a, long... shape) {
      if (!Arrays.equals(a.shape(), shape)) {
        throw new IllegalArgumentException(
            "LSTM " + what + " must be " + Arrays.toString(shape) + ", got " + Arrays.toString(a.shape()));
      }
      if (a.dataType() != type) {
        throw new IllegalArgumentException(
            "LSTM " + what + " must be " + type + " like the input, got " + a.dataType());
      }
    }
  }
}
