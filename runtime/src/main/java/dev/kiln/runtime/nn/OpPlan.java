package dev.kiln.runtime.nn;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fixed list of native ops on fixed arrays, recorded once and run many times. A recurrent layer
 * issues hundreds of small ops per call (a few per time step on {@code [B, H]} arrays), where
 * ND4J's per-op cost in Java (a new op object, its context, native shape buffers, views) is about
 * ten times the arithmetic. Recording keeps each op's context with its arrays and arguments, so
 * that {@link #run} only hands the prepared contexts to libnd4j. The arrays are referenced, not
 * copied: {@link #run} uses their values at that moment, so arrays filled between runs (parameters
 * updated in place, new inputs in the same buffers) are seen.
 */
final class OpPlan implements AutoCloseable {
  private final List<CustomOp> ops = new ArrayList<>();
  private final List<OpContext> contexts = new ArrayList<>();

  /** Records {@code name(inputs) -> outputs} with integer and floating point arguments (either may be empty). */
  void op(String name, INDArray[] inputs, INDArray[] outputs, long[] ints, double[] doubles) {
    OpContext context = Nd4j.getExecutioner().buildContext();
    context.setInputArrays(inputs);
    context.setOutputArrays(outputs);
    if (ints.length > 0) {
      context.setIArguments(ints);
    }
    if (doubles.length > 0) {
      context.setTArguments(doubles);
    }
    ops.add(DynamicCustomOp.builder(name).build());
    contexts.add(context);
  }

  /** {@code out = a * b}, element by element (numpy broadcasting); {@code out} may be {@code a} or {@code b}. */
  void mul(INDArray a, INDArray b, INDArray out) {
    op("multiply", new INDArray[] {a, b}, new INDArray[] {out}, new long[0], new double[0]);
  }

  /** {@code out = a + b}, element by element (numpy broadcasting). */
  void add(INDArray a, INDArray b, INDArray out) {
    op("add", new INDArray[] {a, b}, new INDArray[] {out}, new long[0], new double[0]);
  }

  /** {@code out = a - b}, element by element (numpy broadcasting). */
  void sub(INDArray a, INDArray b, INDArray out) {
    op("subtract", new INDArray[] {a, b}, new INDArray[] {out}, new long[0], new double[0]);
  }

  /** {@code out = tanh(a)}; {@code out} may be {@code a}. */
  void tanh(INDArray a, INDArray out) {
    op("tanh", new INDArray[] {a}, new INDArray[] {out}, new long[0], new double[0]);
  }

  /** {@code out = g (1 - tanh(a)^2)}, the gradient through {@code tanh(a)}. */
  void tanhBackward(INDArray a, INDArray g, INDArray out) {
    op("tanh_bp", new INDArray[] {a, g}, new INDArray[] {out}, new long[0], new double[0]);
  }

  /** {@code dst = src}, broadcasting {@code src} (a scalar array fills {@code dst}). */
  void assign(INDArray src, INDArray dst) {
    op("assign", new INDArray[] {dst, src}, new INDArray[] {dst}, new long[0], new double[0]);
  }

  /**
   * {@code c = alpha op(a) op(b) + beta c} with the native matmul op, which (unlike {@code
   * Nd4j.gemm}) accepts a strided view as {@code c}.
   */
  void matmul(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha, double beta) {
    op("matmul", new INDArray[] {a, b}, new INDArray[] {c}, new long[] {transA ? 1 : 0, transB ? 1 : 0, 0},
        new double[] {alpha, beta});
  }

  /** {@code out = sum of a over axis 0}. */
  void sumRows(INDArray a, INDArray out) {
    op("reduce_sum", new INDArray[] {a}, new INDArray[] {out}, new long[] {0}, new double[0]);
  }

  /**
   * Runs the recorded ops in order, on the calling thread alone: a plan's ops are small (one time
   * step of a batch), and handing each to libnd4j's and the BLAS's thread pools costs more in
   * waking and joining threads than it saves (W2 trains about twice as fast with its LSTM on one
   * thread). {@link OneThread} restores the thread counts afterwards, so other layers keep every core.
   */
  void run() {
    OneThread.run(() -> {
      for (int i = 0; i < ops.size(); i++) {
        Nd4j.getExecutioner().exec(ops.get(i), contexts.get(i));
      }
    });
  }

  /** Frees the native contexts; the plan cannot run afterwards. */
  @Override
  public void close() {
    for (OpContext context : contexts) {
      try {
        context.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot free a native op context", e);
      }
    }
    ops.clear();
    contexts.clear();
  }
}
