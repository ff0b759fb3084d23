package dev.kiln.runtime.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Flax's 2-D {@code nn.Conv} on NHWC inputs with an HWIO kernel: {@code x [N, H, W, C]}, {@code K
 * [kh, kw, C, O]}, {@code b [O]}, strides {@code (sh, sw)}, kernel dilation {@code (dh, dw)} and a
 * {@link Padding} whose {@code (lo, hi)} per axis zero-pads {@code x} to {@code xp}:
 *
 * <pre>
 *   forward:   y[n,i,j,o] = b[o] + sum_{a,c,ch} xp[n, i sh + a dh, j sw + c dw, ch] K[a,c,ch,o]
 *   backward:  given G = dL/dy
 *              dL/dK[a,c,ch,o] = sum_{n,i,j} xp[n, i sh + a dh, j sw + c dw, ch] G[n,i,j,o]
 *              dL/db[o]        = sum_{n,i,j} G[n,i,j,o]
 *              dL/dxp[n,p,q,ch] = sum over (i,a) with i sh + a dh = p and (j,c) with j sw + c dw = q
 *                                 of K[a,c,ch,o] G[n,i,j,o];  dL/dx = dL/dxp without the padding
 * </pre>
 *
 * <p>Output sizes follow {@link #outputSize}. The native ops are libnd4j's {@code conv2d} and {@code
 * conv2d_bp} (NHWC, weight format 0 = HWIO, so Flax's kernel is used as stored): {@code SAME} maps to
 * their {@code isSameMode} (whose padding split equals XLA's, also for even sizes with stride 2), a
 * symmetric explicit padding to their padding arguments. libnd4j pads symmetrically only, so an
 * asymmetric explicit padding zero-pads {@code x} into a scratch buffer and convolves it {@code
 * VALID}; its gradient is the interior of the padded input's gradient.
 *
 * <p>When {@code dx} is skipped (a model's first layer), libnd4j's {@code conv2d_bp}, which always
 * computes the input gradient, is not used: a convolution with a {@link PatchSelector} lays the
 * input patches out as a matrix and one matrix product with the output gradient gives the kernel
 * and bias gradients, in about half the time for a one-channel input.
 *
 * <p>Every result is written into an array the caller gives. The only other buffer is the optional
 * flat {@code scratch} of {@link #scratchShape}: needed by {@code forward} for an asymmetric padding
 * and by {@code backward} for an asymmetric padding or when {@code dx} is skipped. Passing {@code
 * null} there allocates it on each call. Works for float32 and float64, as long as all arrays share
 * one type.
 */
public final class ConvOps {
  private static final int[] ONE = {1, 1};

  /**
   * The most bytes of input, output gradient and input gradient one {@code conv2d_bp} call is given;
   * a larger batch runs in equal slices whose kernel and bias gradients are summed. oneDNN's
   * backward pass copies these arrays into its own layouts, about twice their size in temporaries:
   * 104 MB for W1's second layer at batch 128 in one call. Four slices there took W1's peak RSS from
   * about 450 MB to 360 MB at the same speed.
   */
  private static final long BACKWARD_SLICE_BYTES = 16L << 20;

  private static final ThreadLocal<Map<String, INDArray>> SLICE_GRADIENTS = ThreadLocal.withInitial(HashMap::new);

  private ConvOps() {}

  /**
   * The output size along one spatial axis, Flax's rule ({@link Padding} gives the formulas):
   * {@code SAME}: {@code ceil(in / stride)}; {@code VALID}: {@code ceil((in - (kernel - 1) dilation)
   * / stride)}; explicit {@code (lo, hi)}: {@code floor((in + lo + hi - (kernel - 1) dilation - 1) /
   * stride) + 1}.
   *
   * @param axis 0 for the height, 1 for the width (selects the explicit padding's pair)
   * @throws IllegalArgumentException if no window fits
   */
  public static long outputSize(long in, int kernel, int stride, Padding padding, int dilation, int axis) {
    if (kernel < 1 || stride < 1 || dilation < 1) {
      throw new IllegalArgumentException(
          "kernel, stride and dilation must be >= 1, got " + kernel + ", " + stride + ", " + dilation);
    }
    long dk = (long) (kernel - 1) * dilation + 1;
    long out;
    if (padding instanceof Padding.Explicit e) {
      long padded = in + e.lo(axis) + e.hi(axis);
      out = padded < dk ? 0 : (padded - dk) / stride + 1;
    } else {
      out = Math.floorDiv(in + stride - 1, stride);
    }
    if (out < 1) {
      throw new IllegalArgumentException(
          "a window of " + dk + " (kernel " + kernel + ", dilation " + dilation
              + ") does not fit an axis of " + in + " with padding " + padding);
    }
    return out;
  }

  /** The NHWC output shape {@code [N, outH, outW, O]} for an input and an HWIO kernel shape. */
  public static long[] outputShape(long[] xShape, long[] kernelShape, int[] strides, Padding padding, int[] dilation) {
    if (xShape.length != 4 || kernelShape.length != 4 || xShape[3] != kernelShape[2]) {
      throw new IllegalArgumentException(
          "Conv needs x [N, H, W, C] and kernel [kh, kw, C, O], got " + Arrays.toString(xShape)
              + " and " + Arrays.toString(kernelShape));
    }
    return new long[] {
      xShape[0],
      outputSize(xShape[1], (int) kernelShape[0], strides[0], padding, dilation[0], 0),
      outputSize(xShape[2], (int) kernelShape[1], strides[1], padding, dilation[1], 1),
      kernelShape[3]
    };
  }

  /**
   * The shape {@code [length]} of the flat {@code scratch} buffer. For an asymmetric explicit
   * padding: the padded input and its gradient. Otherwise what {@code backward} needs when told to
   * skip {@code dx}: the patch matrix {@code [N outH outW, kh kw C + 1]} and the product {@code [kh kw
   * C + 1, O]}, or for a dilated kernel (which the native convolutions run without oneDNN) a sink
   * for the input gradient.
   */
  public static long[] scratchShape(long[] xShape, long[] kernelShape, int[] strides, Padding padding, int[] dilation) {
    if (padding instanceof Padding.Explicit e && !e.isSymmetric()) {
      return new long[] {2 * ScratchView.length(paddedShape(xShape, e))};
    }
    if (dilated(dilation)) {
      return new long[] {ScratchView.length(xShape)};
    }
    long[] y = outputShape(xShape, kernelShape, strides, padding, dilation);
    long columns = PatchSelector.columns(kernelShape[0], kernelShape[1], kernelShape[2]);
    return new long[] {(y[0] * y[1] * y[2] + kernelShape[3]) * columns};
  }

  /** {@link #forward(INDArray, INDArray, INDArray, int[], Padding, int[], INDArray, INDArray)} allocating any scratch. */
  public static void forward(
      INDArray x, INDArray kernel, INDArray bias, int[] strides, Padding padding, int[] dilation, INDArray out) {
    forward(x, kernel, bias, strides, padding, dilation, out, null);
  }

  /**
   * {@code out = conv(x, K) + b}.
   *
   * @param x {@code [N, H, W, C]}
   * @param kernel {@code [kh, kw, C, O]}
   * @param bias {@code [O]}, or {@code null} without a bias
   * @param strides {@code (sh, sw)}
   * @param dilation kernel dilation {@code (dh, dw)}; {@code (1, 1)} for none
   * @param out {@code [N, outH, outW, O]} ({@link #outputShape}); overwritten
   * @param scratch {@link #scratchShape}, or {@code null}: used only for an asymmetric padding
   */
  public static void forward(
      INDArray x, INDArray kernel, INDArray bias, int[] strides, Padding padding, int[] dilation,
      INDArray out, INDArray scratch) {
    requireShape("output", outputShape(x.shape(), kernel.shape(), strides, padding, dilation), out);
    INDArray input = x;
    if (asymmetric(padding)) {
      Padding.Explicit e = (Padding.Explicit) padding;
      input = padInto(x, e, ScratchView.of(scratch(scratch, x, kernel, strides, padding, dilation), 0, paddedShape(x.shape(), e)));
    }
    exec(
        DynamicCustomOp.builder("conv2d")
            .addInputs(bias == null ? new INDArray[] {input, kernel} : new INDArray[] {input, kernel, bias})
            .addOutputs(out),
        kernel, strides, padding, dilation);
  }

  /** {@link #backward(INDArray, INDArray, INDArray, INDArray, INDArray, INDArray, int[], Padding, int[], INDArray)} allocating any scratch. */
  public static void backward(
      INDArray x, INDArray kernel, INDArray dOut, INDArray dx, INDArray dKernel, INDArray dBias,
      int[] strides, Padding padding, int[] dilation) {
    backward(x, kernel, dOut, dx, dKernel, dBias, strides, padding, dilation, null);
  }

  /**
   * The gradients of a scalar loss {@code L} given {@code dOut = dL/dout}; each is overwritten, not
   * accumulated.
   *
   * @param x the forward input {@code [N, H, W, C]}
   * @param kernel {@code [kh, kw, C, O]}
   * @param dOut {@code [N, outH, outW, O]}
   * @param dx receives {@code dL/dx}, shaped like {@code x}; {@code null} skips it (the first layer
   *     of a model needs none)
   * @param dKernel receives {@code dL/dK}, shaped like the kernel
   * @param dBias receives {@code dL/db = sum of dOut over N, H, W}, {@code [O]}; {@code null}
   *     without a bias
   * @param scratch {@link #scratchShape}, or {@code null}: used for an asymmetric padding or a
   *     skipped {@code dx}
   */
  public static void backward(
      INDArray x, INDArray kernel, INDArray dOut, INDArray dx, INDArray dKernel, INDArray dBias,
      int[] strides, Padding padding, int[] dilation, INDArray scratch) {
    backward(x, kernel, dOut, dx, dKernel, dBias, strides, padding, dilation, scratch, BACKWARD_SLICE_BYTES);
  }

  /** {@link #backward} with libnd4j's op given at most {@code sliceBytes} at a time (for tests). */
  static void backward(
      INDArray x, INDArray kernel, INDArray dOut, INDArray dx, INDArray dKernel, INDArray dBias,
      int[] strides, Padding padding, int[] dilation, INDArray scratch, long sliceBytes) {
    requireShape("output gradient", outputShape(x.shape(), kernel.shape(), strides, padding, dilation), dOut);
    requireShape("kernel gradient", kernel.shape(), dKernel);
    if (dx != null) {
      requireShape("input gradient", x.shape(), dx);
    }
    if (dx == null && !asymmetric(padding) && !dilated(dilation)) {
      weightGradient(x, kernel, dOut, dKernel, dBias, strides, padding, scratch(scratch, x, kernel, strides, padding, dilation));
      return;
    }
    INDArray input = x;
    INDArray inputGrad = dx;
    if (asymmetric(padding)) {
      Padding.Explicit e = (Padding.Explicit) padding;
      long[] padded = paddedShape(x.shape(), e);
      INDArray buffer = scratch(scratch, x, kernel, strides, padding, dilation);
      input = padInto(x, e, ScratchView.of(buffer, 0, padded));
      inputGrad = ScratchView.of(buffer, ScratchView.length(padded), padded);
    } else if (dx == null) {
      inputGrad = ScratchView.of(scratch(scratch, x, kernel, strides, padding, dilation), 0, x.shape());
    }
    long rows = input.size(0);
    long bytes = rows * exampleBytes(input, dOut);
    long slices = Math.max(1, Math.min(rows, (bytes + sliceBytes - 1) / sliceBytes));
    long slice = (rows + slices - 1) / slices;
    INDArray partKernel = slice < rows ? sliceGradient(dKernel) : null;
    INDArray partBias = slice < rows && dBias != null ? sliceGradient(dBias) : null;
    for (long lo = 0; lo < rows; lo += slice) {
      long hi = Math.min(rows, lo + slice);
      boolean first = lo == 0;
      nativeBackward(batchRows(input, lo, hi), kernel, batchRows(dOut, lo, hi), batchRows(inputGrad, lo, hi),
          first ? dKernel : partKernel, first ? dBias : partBias, strides, padding, dilation);
      if (!first) {
        dKernel.addi(partKernel);
        if (dBias != null) {
          dBias.addi(partBias);
        }
      }
    }
    if (asymmetric(padding) && dx != null) {
      dx.assign(interior(inputGrad, (Padding.Explicit) padding, x));
    }
  }

  /** libnd4j's {@code conv2d_bp} on one batch: {@code dx}, and {@code dK}, {@code db} overwritten. */
  private static void nativeBackward(
      INDArray x, INDArray kernel, INDArray dOut, INDArray dx, INDArray dKernel, INDArray dBias,
      int[] strides, Padding padding, int[] dilation) {
    // Given a bias input (whose values dL/db does not depend on, so dBias stands in for it) conv2d_bp
    // also gives dL/db, at no measurable cost, where a separate column sum of dOut costs a third of the op.
    exec(
        DynamicCustomOp.builder("conv2d_bp")
            .addInputs(dBias == null ? new INDArray[] {x, kernel, dOut} : new INDArray[] {x, kernel, dBias, dOut})
            .addOutputs(dBias == null ? new INDArray[] {dx, dKernel} : new INDArray[] {dx, dKernel, dBias}),
        kernel, strides, padding, dilation);
  }

  /**
   * An array shaped like {@code gradient} for a later slice's share of it, made once per thread,
   * shape and type: a sliced layer allocates nothing after its first step.
   */
  private static INDArray sliceGradient(INDArray gradient) {
    return SLICE_GRADIENTS.get().computeIfAbsent(gradient.dataType() + Arrays.toString(gradient.shape()),
        k -> Nd4j.create(gradient.dataType(), gradient.shape()));
  }

  /** The bytes of one example's input, output gradient and input gradient. */
  private static long exampleBytes(INDArray x, INDArray dOut) {
    return (2 * x.length() / x.size(0) + dOut.length() / dOut.size(0)) * x.dataType().width();
  }

  /** Examples {@code [lo, hi)} of a batch, as a view on its buffer ({@link ScratchView} says why not {@code get}). */
  private static INDArray batchRows(INDArray a, long lo, long hi) {
    if (lo == 0 && hi == a.size(0)) {
      return a;
    }
    long[] shape = a.shape().clone();
    shape[0] = hi - lo;
    return Nd4j.create(a.data(), shape, a.stride(), a.offset() + lo * a.stride(0), a.ordering());
  }

  /**
   * {@code dK} and {@code db} alone: the patches {@code P [M, kh kw C + 1]} (with a column of ones)
   * by one convolution, then {@code P^T dOut [kh kw C + 1, O]}, whose rows are {@code dK} and, last,
   * {@code db}.
   */
  private static void weightGradient(
      INDArray x, INDArray kernel, INDArray dOut, INDArray dKernel, INDArray dBias, int[] strides, Padding padding,
      INDArray scratch) {
    long[] k = kernel.shape();
    long[] y = dOut.shape();
    long rows = y[0] * y[1] * y[2];
    long columns = PatchSelector.columns(k[0], k[1], k[2]);
    INDArray[] selector = PatchSelector.of(k[0], k[1], k[2], x.dataType());
    INDArray patches = ScratchView.of(scratch, 0, y[0], y[1], y[2], columns);
    exec(DynamicCustomOp.builder("conv2d").addInputs(x, selector[0], selector[1]).addOutputs(patches),
        selector[0], strides, padding, ONE);
    INDArray product = ScratchView.of(scratch, rows * columns, columns, k[3]);
    Nd4j.gemm(patches.reshape(rows, columns), dOut.reshape(rows, k[3]), product, true, false, 1.0, 0.0);
    dKernel.assign(ScratchView.of(product, 0, k));
    if (dBias != null) {
      dBias.assign(ScratchView.of(product, (columns - 1) * k[3], k[3]));
    }
  }

  /** {@link #forward} with the parameters as a record. */
  public static void forward(
      INDArray x, ConvParams params, int[] strides, Padding padding, int[] dilation, INDArray out, INDArray scratch) {
    forward(x, params.kernel(), params.bias(), strides, padding, dilation, out, scratch);
  }

  /** {@link #backward} with the parameters and their gradients as records. */
  public static void backward(
      INDArray x, ConvParams params, INDArray dOut, INDArray dx, ConvParams grads,
      int[] strides, Padding padding, int[] dilation, INDArray scratch) {
    backward(x, params.kernel(), dOut, dx, grads.kernel(), grads.bias(), strides, padding, dilation, scratch);
  }

  /**
   * Runs a conv op with {@link #iArgs}. A dilated one runs with libnd4j's platform helpers off: the
   * oneDNN helper fails on every dilated float32 convolution ("could not create a descriptor for a
   * dilated convolution forward propagation primitive"), while the generic implementation matches
   * Flax. The switch is process-wide; it is restored afterwards.
   */
  private static void exec(
      DynamicCustomOp.DynamicCustomOpsBuilder op, INDArray kernel, int[] strides, Padding padding, int[] dilation) {
    op.addIntegerArguments(iArgs(kernel, strides, padding, dilation));
    if (!dilated(dilation)) {
      Nd4j.exec(op.build());
      return;
    }
    Environment env = Nd4j.getEnvironment();
    boolean helpers = env.helpersAllowed();
    env.allowHelpers(false);
    try {
      Nd4j.exec(op.build());
    } finally {
      env.allowHelpers(helpers);
    }
  }

  /**
   * libnd4j's conv arguments {@code [kH, kW, sH, sW, pH, pW, dH, dW, isSameMode, dataFormat = 1
   * (NHWC), wFormat = 0 (HWIO)]}; an asymmetric padding has been applied already (so VALID).
   */
  private static int[] iArgs(INDArray kernel, int[] strides, Padding padding, int[] dilation) {
    boolean same = padding instanceof Padding.Same;
    int pH = 0;
    int pW = 0;
    if (padding instanceof Padding.Explicit e && e.isSymmetric()) {
      pH = e.top();
      pW = e.left();
    }
    return new int[] {
      (int) kernel.size(0), (int) kernel.size(1), strides[0], strides[1], pH, pW, dilation[0], dilation[1],
      same ? 1 : 0, 1, 0
    };
  }

  private static boolean asymmetric(Padding padding) {
    return padding instanceof Padding.Explicit e && !e.isSymmetric();
  }

  /** The caller's scratch buffer, checked, or a new one. */
  private static INDArray scratch(
      INDArray scratch, INDArray x, INDArray kernel, int[] strides, Padding padding, int[] dilation) {
    long[] shape = scratchShape(x.shape(), kernel.shape(), strides, padding, dilation);
    if (scratch == null) {
      return Nd4j.create(x.dataType(), shape);
    }
    requireShape("scratch", shape, scratch);
    if (scratch.dataType() != x.dataType() || scratch.stride(0) != 1) {
      throw new IllegalArgumentException("Conv scratch must be a contiguous " + x.dataType() + " vector, got "
          + scratch.dataType() + " with stride " + scratch.stride(0));
    }
    return scratch;
  }

  private static long[] paddedShape(long[] xShape, Padding.Explicit e) {
    return new long[] {xShape[0], xShape[1] + e.top() + e.bottom(), xShape[2] + e.left() + e.right(), xShape[3]};
  }

  private static boolean dilated(int[] dilation) {
    return dilation[0] != 1 || dilation[1] != 1;
  }

  /** {@code padded = x} zero-padded by {@code p}; returns {@code padded}. */
  private static INDArray padInto(INDArray x, Padding.Explicit p, INDArray padded) {
    padded.assign(0);
    interior(padded, p, x).assign(x);
    return padded;
  }

  /** The view of {@code padded} that holds {@code x}. */
  private static INDArray interior(INDArray padded, Padding.Explicit p, INDArray x) {
    return padded.get(
        all(), interval(p.top(), p.top() + x.size(1)), interval(p.left(), p.left() + x.size(2)), all());
  }

  private static void requireShape(String what, long[] expected, INDArray a) {
    if (!Arrays.equals(expected, a.shape())) {
      throw new IllegalArgumentException(
          "Conv " + what + " must be " + Arrays.toString(expected) + ", got " + Arrays.toString(a.shape()));
    }
  }
}
