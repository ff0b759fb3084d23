package dev.kiln.runtime.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Arrays;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Flax's {@code nn.RNN(nn.GRUCell(H))} over a batch of sequences {@code x [B, T, E]} with optional
 * {@code seq_lengths}, and its backpropagation through time. One step of Flax's {@code GRUCell},
 * from the carry {@code h} and the step's input {@code x} (kernels and biases of {@link GruParams}):
 *
 * <pre>
 *   r  = sigmoid(x W_ir + b_ir + h W_hr)
 *   z  = sigmoid(x W_iz + b_iz + h W_hz)
 *   a  = h W_hn + b_hn                                   (kept as hnPre)
 *   n  = tanh(x W_in + b_in + r * a)
 *   h' = (1 - z) * n + z * h                             (the new carry, and the step's output)
 * </pre>
 *
 * and its backward, given {@code dh' = dL/dh'}, with {@code gr, gz, gn} the gradients of the three
 * pre-activations and {@code da} that of {@code a}:
 *
 * <pre>
 *   dn = dh' (1 - z)          dz = dh' (h - n)
 *   gn = dn (1 - n^2)         gz = dz z (1 - z)
 *   da = gn r                 gr = gn a r (1 - r)
 *   dh = dh' z + gr W_hr^T + gz W_hz^T + da W_hn^T       (flows to the step before)
 *   dx = gr W_ir^T + gz W_iz^T + gn W_in^T
 *   dW_ir += x^T gr, dW_iz += x^T gz, dW_in += x^T gn    db_ir += sum gr, db_iz += sum gz, db_in += sum gn
 *   dW_hr += h^T gr, dW_hz += h^T gz, dW_hn += h^T da    db_hn += sum da
 * </pre>
 *
 * <p>The carry starts at {@code h0}, or zeros as Flax's {@code initialize_carry}. <b>Lengths.</b> A
 * row {@code b} of length {@code L_b} stops updating its carry after its last real token: at steps
 * {@code t >= L_b} the carry stays {@code h_{L_b - 1}} ({@code h0} if {@code L_b = 0}), so the carry
 * after the last step is what Flax's {@code nn.RNN(..., return_carry=True)} returns with {@code
 * seq_lengths}. The forward pass does this by setting {@code z}'s pre-activation to {@code +inf} at
 * those steps: {@code z = 1} exactly and {@code h' = 0 n + 1 h = h} exactly. The backward pass then
 * needs no mask: with {@code z = 1}, {@code dh = dh'} and every gate gradient there is exactly zero.
 * Steps at which every row is padding ({@code t >= max L}) are not computed.
 *
 * <p><b>Outputs.</b> With {@code out [B, H]} ("last" mode) the result is the final carry. With {@code
 * out [B, T, H]} ("sequence" mode) it is the carry after every step: {@code h_t} at real steps, as
 * Flax's {@code ys}; at padded steps Kiln repeats the final carry, whereas Flax's scan keeps running
 * the cell over the padding and only selects the final carry afterwards, so Flax's {@code ys[b, t >=
 * L_b]} are the cell applied to the padding inputs. The two agree at every real step, and the last
 * step of the sequence output is the last-mode output. For {@code L_b = 0} Flax returns {@code
 * carries[L_b - 1]}, i.e. the state after all {@code T} steps of padding; Kiln returns {@code h0}.
 *
 * <p><b>Buffers.</b> Every result is written into an array the caller gives; the scratch the backward
 * pass needs from the forward one is {@code gates [B, T, 3H]} (r, z, n after their activations),
 * {@code hnPre [B, T, H]} ({@code a}) and {@code hiddens [B, T, H]} (the carry after each step). The
 * input projections {@code x W_i* + b_i*} of all steps are three matrix products over all {@code B T}
 * rows, as are the weight gradients after the backward loop; each step costs three products with the
 * recurrent kernels. {@code x}, {@code gates}, {@code hnPre}, {@code hiddens} and {@code dx} must be
 * C-ordered contiguous (see {@link Reshapes#asMatrix}). float32 and float64 both work (all arrays of
 * one type).
 */
public final class GruOps {
  private GruOps() {}

  /**
   * Runs the GRU over the sequences.
   *
   * @param x {@code [B, T, E]}
   * @param p the cell's parameters
   * @param lengths {@code [B]} the number of real steps of each row, {@code 0 <= L_b <= T} (any
   *     numeric type); {@code null} means every row has {@code T}
   * @param h0 {@code [B, H]} the initial carry; {@code null} means zeros
   * @param gates receives {@code r, z, n} {@code [B, T, 3H]} (at {@code t < max L}); keep for
   *     {@link #backward}
   * @param hnPre receives {@code a = h W_hn + b_hn} {@code [B, T, H]} (at {@code t < max L}); keep
   *     for {@link #backward}
   * @param hiddens receives the carry after each step {@code [B, T, H]}; keep for {@link #backward}
   * @param out receives the final carry {@code [B, H]}, or the carry after every step {@code [B, T,
   *     H]}; distinct from {@code hiddens}
   */
  public static void forward(
      INDArray x, GruParams p, INDArray lengths, INDArray h0,
      INDArray gates, INDArray hnPre, INDArray hiddens, INDArray out) {
    Dims d = Dims.of(x, p, h0, gates, hnPre, hiddens);
    boolean sequence = d.isSequence(out, "out");
    long h = d.h;
    int[] len = d.lengths(lengths);
    int steps = Arrays.stream(len).max().getAsInt();

    // The input projections of every step at once: gates[:, :, gate] = x W_i(gate) + b_i(gate).
    INDArray x2 = Reshapes.asMatrix(x, d.e, "GRU input");
    INDArray g2 = Reshapes.asMatrix(gates, 3 * h, "GRU gates");
    project(x2, p.irKernel(), p.irBias(), g2.get(all(), interval(0, h)));
    project(x2, p.izKernel(), p.izBias(), g2.get(all(), interval(h, 2 * h)));
    project(x2, p.inKernel(), p.inBias(), g2.get(all(), interval(2 * h, 3 * h)));
    // a = b_hn + h W_hn: the bias of every step first.
    Reshapes.asMatrix(hnPre, h, "GRU hnPre").assign(0.0).addiRowVector(p.hnBias());
    // Padded steps: z = sigmoid(+inf) = 1, so that h' = h there.
    for (int b = 0; b < d.b; b++) {
      if (len[b] < steps) {
        gates.get(point(b), interval(len[b], steps), interval(h, 2 * h)).assign(Double.POSITIVE_INFINITY);
      }
    }

    for (int t = 0; t < steps; t++) {
      INDArray hPrev = previous(h0, hiddens, t);
      INDArray r = at(gates, t, 0, h);
      INDArray z = at(gates, t, h, 2 * h);
      INDArray n = at(gates, t, 2 * h, 3 * h);
      INDArray a = at(hnPre, t, 0, h);
      INDArray hNext = at(hiddens, t, 0, h);
      // Scratch [B, H] for this step: the output is written only after the loop.
      INDArray tmp = sequence ? at(out, t, 0, h) : out;
      if (hPrev != null) {
        gemm(hPrev, p.hrKernel(), r, false, false, 1.0); // r += h W_hr
        gemm(hPrev, p.hzKernel(), z, false, false, 1.0); // z += h W_hz
        gemm(hPrev, p.hnKernel(), a, false, false, 1.0); // a += h W_hn
      }
      Transforms.sigmoid(at(gates, t, 0, 2 * h), false); // r and z
      r.mul(a, tmp);
      Transforms.tanh(n.addi(tmp), false); // n = tanh(x W_in + b_in + r a)
      // h' = z h + (1 - z) n, in this order so that z = 1 gives h exactly
      if (hPrev != null) {
        z.mul(hPrev, hNext);
        z.rsub(1.0, tmp).muli(n);
        hNext.addi(tmp);
      } else {
        z.rsub(1.0, hNext).muli(n);
      }
    }
    INDArray last = previous(h0, hiddens, steps);
    for (int t = steps; t < d.t; t++) {
      INDArray hNext = at(hiddens, t, 0, h);
      if (last == null) {
        hNext.assign(0.0);
      } else {
        hNext.assign(last);
      }
    }
    out.assign(sequence ? hiddens : at(hiddens, (int) d.t - 1, 0, h));
  }

  /**
   * Backpropagation through time: the gradients of a scalar loss {@code L} given {@code dOut =
   * dL/dout}. Each result is overwritten, not accumulated. {@code gates} and {@code hnPre} are
   * consumed (they receive the gate gradients {@code gr, gz, gn} and {@code da} of every step), so a
   * forward pass must precede each call.
   *
   * @param x as given to {@link #forward}
   * @param p as given to {@link #forward}
   * @param lengths as given to {@link #forward}
   * @param h0 as given to {@link #forward}
   * @param gates as {@link #forward} left it; overwritten
   * @param hnPre as {@link #forward} left it; overwritten
   * @param hiddens as {@link #forward} left it
   * @param work scratch {@code [B, 3H]}
   * @param carry scratch {@code [B, H]} ({@code dL/dh} of the step being processed)
   * @param dOut {@code [B, H]} or {@code [B, T, H]}, shaped like the forward's {@code out}; in
   *     sequence mode a gradient at a padded step reaches the final carry, which is what is written
   *     there
   * @param dx receives {@code dL/dx} {@code [B, T, E]} (zero at padded steps); {@code null} skips it
   * @param dh0 receives {@code dL/dh0} {@code [B, H]}; {@code null} skips it (it is computed anyway)
   * @param grads receives the gradients of every parameter
   */
  public static void backward(
      INDArray x, GruParams p, INDArray lengths, INDArray h0,
      INDArray gates, INDArray hnPre, INDArray hiddens, INDArray work, INDArray carry,
      INDArray dOut, INDArray dx, INDArray dh0, GruParams grads) {
    Dims d = Dims.of(x, p, h0, gates, hnPre, hiddens);
    boolean sequence = d.isSequence(dOut, "dOut");
    long h = d.h;
    int steps = Arrays.stream(d.lengths(lengths)).max().getAsInt();
    d.require("work", work, d.b, 3 * h);
    d.require("carry", carry, d.b, h);
    d.requireLike("grads", grads, p);
    INDArray u = work.get(all(), interval(0, h));
    INDArray dn = work.get(all(), interval(h, 2 * h));
    INDArray dz = work.get(all(), interval(2 * h, 3 * h));

    if (sequence) {
      carry.assign(0.0);
    } else {
      carry.assign(dOut);
    }
    for (int t = (int) d.t - 1; t >= 0; t--) {
      if (sequence) {
        carry.addi(at(dOut, t, 0, h));
      }
      if (t >= steps) {
        continue; // every row is padding here: the carry passes through unchanged
      }
      INDArray hPrev = previous(h0, hiddens, t);
      INDArray r = at(gates, t, 0, h);
      INDArray z = at(gates, t, h, 2 * h);
      INDArray n = at(gates, t, 2 * h, 3 * h);
      INDArray a = at(hnPre, t, 0, h);
      // dn = dh' (1 - z), dz = dh' (h - n); then carry = dh' z, the direct path to h
      z.rsub(1.0, u);
      u.mul(carry, dn);
      if (hPrev != null) {
        hPrev.sub(n, dz);
      } else {
        n.mul(-1.0, dz);
      }
      dz.muli(carry);
      carry.muli(z);
      z.muli(u).muli(dz); // gz = dz z (1 - z)
      n.muli(n).rsubi(1.0).muli(dn); // gn = dn (1 - n^2)
      n.mul(a, dz); // gn a
      n.mul(r, a); // da = gn r
      r.rsub(1.0, u).muli(r);
      u.mul(dz, r); // gr = gn a r (1 - r)
      gemm(r, p.hrKernel(), carry, false, true, 1.0); // dh += gr W_hr^T
      gemm(z, p.hzKernel(), carry, false, true, 1.0); // dh += gz W_hz^T
      gemm(a, p.hnKernel(), carry, false, true, 1.0); // dh += da W_hn^T
    }
    if (dh0 != null) {
      dh0.assign(carry);
    }
    if (steps < d.t) {
      gates.get(all(), interval(steps, d.t), all()).assign(0.0);
      hnPre.get(all(), interval(steps, d.t), all()).assign(0.0);
    }

    // Input kernels and biases, and dx: over all B T rows at once.
    INDArray x2 = Reshapes.asMatrix(x, d.e, "GRU input");
    INDArray g2 = Reshapes.asMatrix(gates, 3 * h, "GRU gates");
    INDArray a2 = Reshapes.asMatrix(hnPre, h, "GRU hnPre");
    INDArray gr = g2.get(all(), interval(0, h));
    INDArray gz = g2.get(all(), interval(h, 2 * h));
    INDArray gn = g2.get(all(), interval(2 * h, 3 * h));
    gemm(x2, gr, grads.irKernel(), true, false, 0.0);
    gemm(x2, gz, grads.izKernel(), true, false, 0.0);
    gemm(x2, gn, grads.inKernel(), true, false, 0.0);
    gr.sum(grads.irBias(), 0);
    gz.sum(grads.izBias(), 0);
    gn.sum(grads.inBias(), 0);
    a2.sum(grads.hnBias(), 0);
    if (dx != null) {
      d.require("dx", dx, d.b, d.t, d.e);
      INDArray dx2 = Reshapes.asMatrix(dx, d.e, "GRU input gradient");
      gemm(gr, p.irKernel(), dx2, false, true, 0.0);
      gemm(gz, p.izKernel(), dx2, false, true, 1.0);
      gemm(gn, p.inKernel(), dx2, false, true, 1.0);
    }

    // Recurrent kernels: dW_h = sum over (b, t) of h_{b,t-1}^T g_{b,t}, h_{b,-1} = h0. Step 0's
    // term is taken first, then its gradient rows are zeroed. In the flat row order i = b T + t,
    // rows [0, BT-1) of hiddens hold h_{b,t-1} for the gradient rows [1, BT): all pairs but (b, T-1)
    // with (b+1, 0), whose gradient row is now zero.
    INDArray gr0 = at(gates, 0, 0, h);
    INDArray gz0 = at(gates, 0, h, 2 * h);
    INDArray da0 = at(hnPre, 0, 0, h);
    if (h0 != null) {
      gemm(h0, gr0, grads.hrKernel(), true, false, 0.0);
      gemm(h0, gz0, grads.hzKernel(), true, false, 0.0);
      gemm(h0, da0, grads.hnKernel(), true, false, 0.0);
    } else {
      grads.hrKernel().assign(0.0);
      grads.hzKernel().assign(0.0);
      grads.hnKernel().assign(0.0);
    }
    at(gates, 0, 0, 2 * h).assign(0.0);
    da0.assign(0.0);
    long rows = d.b * d.t;
    if (rows > 1) {
      INDArray hPrev2 = Reshapes.asMatrix(hiddens, h, "GRU hiddens").get(interval(0, rows - 1), all());
      gemm(hPrev2, g2.get(interval(1, rows), interval(0, h)), grads.hrKernel(), true, false, 1.0);
      gemm(hPrev2, g2.get(interval(1, rows), interval(h, 2 * h)), grads.hzKernel(), true, false, 1.0);
      gemm(hPrev2, a2.get(interval(1, rows), all()), grads.hnKernel(), true, false, 1.0);
    }
  }

  /** {@code out = x2 kernel + bias}, {@code out} a column block of the gates. */
  private static void project(INDArray x2, INDArray kernel, INDArray bias, INDArray out) {
    gemm(x2, kernel, out, false, false, 0.0);
    out.addiRowVector(bias);
  }

  /**
   * {@code c = op(a) op(b) + beta c}. The native {@code matmul} reads and writes views whose rows
   * or columns are contiguous (column blocks of the gates, one step of a {@code [B, T, .]} array)
   * in place; {@link Nd4j#gemm} refuses views.
   */
  private static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double beta) {
    MMulTranspose mt = MMulTranspose.builder().transposeA(transA).transposeB(transB).build();
    Nd4j.exec(new Mmul(a, b, c, 1.0, beta, mt));
  }

  /** The columns {@code [from, to)} of step {@code t} of a {@code [B, T, .]} array: a {@code [B, to - from]} view. */
  private static INDArray at(INDArray a, int t, long from, long to) {
    return a.get(all(), point(t), interval(from, to));
  }

  /** The carry before step {@code t}: {@code h0} (null for zeros) at {@code t = 0}, else {@code hiddens[:, t-1]}. */
  private static INDArray previous(INDArray h0, INDArray hiddens, int t) {
    return t == 0 ? h0 : at(hiddens, t - 1, 0, hiddens.size(2));
  }

  /** The sizes {@code B, T, E, H}, checked against every array that has them. */
  private record Dims(long b, long t, long e, long h) {
    static Dims of(INDArray x, GruParams p, INDArray h0, INDArray gates, INDArray hnPre, INDArray hiddens) {
      if (x.rank() != 3 || x.size(2) != p.inFeatures() || x.size(0) < 1 || x.size(1) < 1) {
        throw new IllegalArgumentException(
            "GRU input must be [B, T, " + p.inFeatures() + "] with B, T >= 1, got " + Arrays.toString(x.shape()));
      }
      Dims d = new Dims(x.size(0), x.size(1), x.size(2), p.features());
      if (h0 != null) {
        d.require("h0", h0, d.b, d.h);
      }
      d.require("gates", gates, d.b, d.t, 3 * d.h);
      d.require("hnPre", hnPre, d.b, d.t, d.h);
      d.require("hiddens", hiddens, d.b, d.t, d.h);
      return d;
    }

    /** Whether {@code a} is a sequence output {@code [B, T, H]} rather than a last-step one {@code [B, H]}. */
    boolean isSequence(INDArray a, String what) {
      if (Arrays.equals(a.shape(), new long[] {b, h})) {
        return false;
      }
      if (Arrays.equals(a.shape(), new long[] {b, t, h})) {
        return true;
      }
      throw new IllegalArgumentException(
          "GRU " + what + " must be [" + b + ", " + h + "] (last step) or [" + b + ", " + t + ", " + h
              + "] (every step), got " + Arrays.toString(a.shape()));
    }

    /** The lengths as ints, each checked to lie in {@code [0, T]}; all {@code T} for {@code null}. */
    int[] lengths(INDArray lengths) {
      int[] len = new int[Math.toIntExact(b)];
      if (lengths == null) {
        Arrays.fill(len, Math.toIntExact(t));
        return len;
      }
      if (lengths.length() != b || lengths.rank() != 1) {
        throw new IllegalArgumentException(
            "GRU lengths must be [" + b + "], got " + Arrays.toString(lengths.shape()));
      }
      for (int i = 0; i < len.length; i++) {
        double v = lengths.getDouble(i);
        if (v != Math.rint(v) || v < 0 || v > t) {
          throw new IllegalArgumentException(
              "GRU lengths must be whole numbers in [0, " + t + "], row " + i + " has " + v);
        }
        len[i] = (int) v;
      }
      return len;
    }

    void require(String what, INDArray a, long... shape) {
      if (!Arrays.equals(a.shape(), shape)) {
        throw new IllegalArgumentException(
            "GRU " + what + " must be " + Arrays.toString(shape) + ", got " + Arrays.toString(a.shape()));
      }
    }

    void requireLike(String what, GruParams actual, GruParams expected) {
      if (actual.inFeatures() != expected.inFeatures() || actual.features() != expected.features()) {
        throw new IllegalArgumentException(
            "GRU " + what + " must have E = " + expected.inFeatures() + ", H = " + expected.features()
                + ", got E = " + actual.inFeatures() + ", H = " + actual.features());
      }
    }
  }
}
