package dev.kiln.runtime.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Flax's 2-D {@code nn.ConvTranspose} (no kernel dilation) on NHWC inputs, which is {@code
 * jax.lax.conv_transpose}: the input dilated by the strides ({@code s - 1} zeros between
 * neighbours), zero-padded by {@code (lo, hi)} per axis and correlated with stride 1:
 *
 * <pre>
 *   xd[n, lo_h + i sh, lo_w + j sw, c] = x[n, i, j, c]   (zero elsewhere)
 *   y[n, p, q, o] = b[o] + sum_{a, b, c} xd[n, p + a, q + b, c] Kc[a, b, c, o]
 *   Kc = K                                   transpose_kernel=False, K [kh, kw, in, out]
 *   Kc[a, b, c, o] = K[kh-1-a, kw-1-b, o, c] transpose_kernel=True,  K [kh, kw, out, in]
 * </pre>
 *
 * with {@code (lo, hi)} per axis from {@code lax._conv_transpose_padding}: SAME {@code lo = k - 1}
 * if {@code s > k - 1} else {@code ceil((k + s - 2) / 2)}, {@code hi = k + s - 2 - lo}; VALID
 * {@code lo = k - 1}, {@code hi = s - 1 + max(k - s, 0)}; an explicit Flax padding is {@code (lo,
 * hi)} itself. Output sizes follow {@link #outputSize}. {@link Padding#VALID} equals {@code
 * Padding.explicit(0, 0, 0, 0)}, so an all-zero explicit padding means Flax's {@code 'VALID'} here
 * (Flax's {@code padding=((0, 0), (0, 0))} for a ConvTranspose, which is a different, smaller
 * output, cannot be expressed).
 *
 * <p>Two implementations, chosen by shape alone:
 *
 * <ul>
 *   <li><b>native</b>, for SAME or VALID with {@code k >= s} on both axes: libnd4j's {@code
 *       deconv2d} / {@code deconv2d_bp} (NHWC, wFormat 0) with {@code W[a, b, o, c] = Kc[kh-1-a,
 *       kw-1-b, c, o]}, which is the stored kernel itself for {@code transpose_kernel=True} and its
 *       flip-and-swap (into scratch) otherwise; {@code dK} is the same flip-and-swap of {@code dW}.
 *       The ops always run in VALID mode, whose full output {@code (in - 1) s + k} per axis Flax's
 *       output is a window of, starting at {@code k - 1 - lo} (0 for VALID, {@code (k - s) / 2}
 *       for SAME, both {@code >= 0} exactly when {@code k >= s}): oneDNN serves only VALID mode
 *       (libnd4j's generic SAME mode is 4 to 10 times slower), so a cropped output is computed in
 *       scratch and copied out, and its gradient is zero-padded there.
 *   <li><b>dilated</b>, everything else ({@code k < s}, explicit padding): {@code xd} is built in
 *       scratch and convolved VALID by {@code conv2d}; the backward pass is {@code conv2d_bp} and
 *       {@code dx} is the strided interior of {@code dxd}. It costs about {@code sh sw} times the
 *       native path's arithmetic (most of {@code xd} is zeros).
 * </ul>
 *
 * <p>Every result is written into an array the caller gives; the only other buffer is {@code
 * scratch} of {@link #scratchShape} (a flat buffer carved into the flipped kernel, its gradient, the
 * dilated input and its gradient, the full output of a cropped native call, or a sink for a skipped
 * {@code dx}, as the case needs). Passing
 * {@code null} there allocates it on each call. Works for float32 and float64, as long as all arrays
 * share one type.
 */
public final class ConvTransposeOps {
  private ConvTransposeOps() {}

  /**
   * The output size along one spatial axis, Flax's rule: SAME {@code in * stride}; VALID {@code in
   * * stride + max(kernel - stride, 0)}; explicit {@code (lo, hi)}: {@code (in - 1) * stride + lo +
   * hi - kernel + 2}.
   *
   * @param axis 0 for the height, 1 for the width (selects the explicit padding's pair)
   * @throws IllegalArgumentException if the output would be empty
   */
  public static long outputSize(long in, int kernel, int stride, Padding padding, int axis) {
    if (kernel < 1 || stride < 1 || in < 1) {
      throw new IllegalArgumentException(
          "input size, kernel and stride must be >= 1, got " + in + ", " + kernel + ", " + stride);
    }
    long[] pads = pads(kernel, stride, padding, axis);
    long out = (in - 1) * stride + 1 + pads[0] + pads[1] - kernel + 1;
    if (out < 1) {
      throw new IllegalArgumentException(
          "ConvTranspose with kernel " + kernel + ", stride " + stride + " and padding " + padding
              + " gives no output for an axis of " + in);
    }
    return out;
  }

  /**
   * Flax's {@code (lo, hi)} padding of the stride-dilated input along one axis ({@code
   * lax._conv_transpose_padding} for SAME and VALID).
   */
  static long[] pads(int kernel, int stride, Padding padding, int axis) {
    if (padding instanceof Padding.Explicit e && !isValid(e)) {
      return new long[] {e.lo(axis), e.hi(axis)};
    }
    long lo;
    long total;
    if (padding instanceof Padding.Same) {
      total = kernel + stride - 2;
      lo = stride > kernel - 1 ? kernel - 1 : (total + 1) / 2;
    } else {
      total = kernel + stride - 2 + Math.max(kernel - stride, 0);
      lo = kernel - 1;
    }
    return new long[] {lo, total - lo};
  }

  /**
   * The NHWC output shape {@code [N, outH, outW, out]} for an input and a kernel shape ({@code [kh,
   * kw, in, out]}, or {@code [kh, kw, out, in]} with {@code transposeKernel}).
   */
  public static long[] outputShape(
      long[] xShape, long[] kernelShape, int[] strides, Padding padding, boolean transposeKernel) {
    int inAxis = transposeKernel ? 3 : 2;
    if (xShape.length != 4 || kernelShape.length != 4 || xShape[3] != kernelShape[inAxis]) {
      throw new IllegalArgumentException(
          "ConvTranspose needs x [N, H, W, C] and kernel "
              + (transposeKernel ? "[kh, kw, out, C]" : "[kh, kw, C, out]") + ", got "
              + Arrays.toString(xShape) + " and " + Arrays.toString(kernelShape));
    }
    return new long[] {
      xShape[0],
      outputSize(xShape[1], (int) kernelShape[0], strides[0], padding, 0),
      outputSize(xShape[2], (int) kernelShape[1], strides[1], padding, 1),
      kernelShape[transposeKernel ? 2 : 3]
    };
  }

  /**
   * Whether the native {@code deconv2d} reproduces Flax for this shape: SAME or VALID and {@code
   * kernel >= stride} on both axes.
   */
  public static boolean usesDeconv2d(long[] kernelShape, int[] strides, Padding padding) {
    boolean named = padding instanceof Padding.Same || (padding instanceof Padding.Explicit e && isValid(e));
    return named && kernelShape[0] >= strides[0] && kernelShape[1] >= strides[1];
  }

  /**
   * The shape {@code [length]} of the flat {@code scratch} buffer. Native path: the flipped kernel
   * and its gradient (none with {@code transposeKernel}), a sink for a skipped {@code dx}, and
   * deconv2d's full output where Flax's output is a crop of it (SAME with {@code k > s}). Dilated
   * path: the dilated padded input and its gradient, and the flipped kernel and its gradient
   * with {@code transposeKernel}.
   */
  public static long[] scratchShape(
      long[] xShape, long[] kernelShape, int[] strides, Padding padding, boolean transposeKernel) {
    return new long[] {Math.max(1, layout(xShape, kernelShape, strides, padding, transposeKernel, true).total)};
  }

  /** {@link #forward(INDArray, INDArray, INDArray, int[], Padding, boolean, INDArray, INDArray)} allocating its scratch. */
  public static void forward(
      INDArray x, INDArray kernel, INDArray bias, int[] strides, Padding padding, boolean transposeKernel,
      INDArray out) {
    forward(x, kernel, bias, strides, padding, transposeKernel, out, null);
  }

  /**
   * {@code out = conv_transpose(x, K) + b}.
   *
   * @param x {@code [N, H, W, C]}
   * @param kernel {@code [kh, kw, C, O]}, or {@code [kh, kw, O, C]} with {@code transposeKernel}
   * @param bias {@code [O]}, or {@code null} without a bias
   * @param strides {@code (sh, sw)}
   * @param padding SAME, VALID or explicit (applied to the dilated input, as Flax does)
   * @param transposeKernel Flax's {@code transpose_kernel}
   * @param out {@code [N, outH, outW, O]} ({@link #outputShape}); overwritten
   * @param scratch {@link #scratchShape}, or {@code null} to allocate it
   */
  public static void forward(
      INDArray x, INDArray kernel, INDArray bias, int[] strides, Padding padding, boolean transposeKernel,
      INDArray out, INDArray scratch) {
    forward(x, kernel, bias, strides, padding, transposeKernel, out, scratch, true);
  }

  /** {@link #forward}; {@code allowNative = false} forces the dilated path (for tests). */
  static void forward(
      INDArray x, INDArray kernel, INDArray bias, int[] strides, Padding padding, boolean transposeKernel,
      INDArray out, INDArray scratch, boolean allowNative) {
    long[] yShape = outputShape(x.shape(), kernel.shape(), strides, padding, transposeKernel);
    requireShape("output", yShape, out);
    checkBias(bias, yShape[3]);
    Layout l = layout(x.shape(), kernel.shape(), strides, padding, transposeKernel, allowNative);
    INDArray buf = buffer(scratch, x, l);
    if (l.nativePath) {
      INDArray w = kernel;
      if (!transposeKernel) {
        w = l.slot(buf, Slot.KERNEL);
        KernelFlip.apply(kernel, w);
      }
      // The bias is added here, while cropping: given a bias, libnd4j's deconv2d runs about 3 times slower.
      INDArray full = l.cropped() ? l.slot(buf, Slot.FULL_OUTPUT) : out;
      Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(x, w).addOutputs(full)
          .addIntegerArguments(iArgs(kernel, strides, 0, 1)).build());
      INDArray window = l.cropped() ? l.window(full) : out;
      if (bias != null) {
        Nd4j.exec(new BroadcastAddOp(window, bias, out, 3));
      } else if (l.cropped()) {
        out.assign(window);
      }
    } else {
      INDArray kc = kernel;
      if (transposeKernel) {
        kc = l.slot(buf, Slot.KERNEL);
        KernelFlip.apply(kernel, kc);
      }
      INDArray xd = l.slot(buf, Slot.INPUT);
      xd.assign(0);
      l.interior(xd).assign(x);
      INDArray[] inputs = bias == null ? new INDArray[] {xd, kc} : new INDArray[] {xd, kc, bias};
      Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(inputs).addOutputs(out)
          .addIntegerArguments(iArgs(kernel, new int[] {1, 1}, 0, 1)).build());
    }
  }

  /** {@link #backward(INDArray, INDArray, INDArray, INDArray, INDArray, INDArray, int[], Padding, boolean, INDArray)} allocating its scratch. */
  public static void backward(
      INDArray x, INDArray kernel, INDArray dOut, INDArray dx, INDArray dKernel, INDArray dBias,
      int[] strides, Padding padding, boolean transposeKernel) {
    backward(x, kernel, dOut, dx, dKernel, dBias, strides, padding, transposeKernel, null);
  }

  /**
   * The gradients of a scalar loss {@code L} given {@code dOut = dL/dout}; each is overwritten, not
   * accumulated.
   *
   * @param x the forward input {@code [N, H, W, C]}
   * @param kernel as in {@link #forward}
   * @param dOut {@code [N, outH, outW, O]}
   * @param dx receives {@code dL/dx}, shaped like {@code x}; {@code null} skips it
   * @param dKernel receives {@code dL/dK}, shaped like the kernel
   * @param dBias receives {@code dL/db = sum of dOut over N, H, W}, {@code [O]}; {@code null}
   *     without a bias
   * @param scratch {@link #scratchShape}, or {@code null} to allocate it
   */
  public static void backward(
      INDArray x, INDArray kernel, INDArray dOut, INDArray dx, INDArray dKernel, INDArray dBias,
      int[] strides, Padding padding, boolean transposeKernel, INDArray scratch) {
    backward(x, kernel, dOut, dx, dKernel, dBias, strides, padding, transposeKernel, scratch, true);
  }

  /** {@link #backward}; {@code allowNative = false} forces the dilated path (for tests). */
  static void backward(
      INDArray x, INDArray kernel, INDArray dOut, INDArray dx, INDArray dKernel, INDArray dBias,
      int[] strides, Padding padding, boolean transposeKernel, INDArray scratch, boolean allowNative) {
    long[] yShape = outputShape(x.shape(), kernel.shape(), strides, padding, transposeKernel);
    requireShape("output gradient", yShape, dOut);
    requireShape("kernel gradient", kernel.shape(), dKernel);
    if (dx != null) {
      requireShape("input gradient", x.shape(), dx);
    }
    checkBias(dBias, yShape[3]);
    Layout l = layout(x.shape(), kernel.shape(), strides, padding, transposeKernel, allowNative);
    INDArray buf = buffer(scratch, x, l);
    if (l.nativePath) {
      INDArray w = kernel;
      INDArray dw = dKernel;
      if (!transposeKernel) {
        w = l.slot(buf, Slot.KERNEL);
        dw = l.slot(buf, Slot.KERNEL_GRAD);
        KernelFlip.apply(kernel, w);
      }
      INDArray inputGrad = dx != null ? dx : l.slot(buf, Slot.INPUT_GRAD);
      INDArray fullGrad = dOut;
      if (l.cropped()) {
        fullGrad = l.slot(buf, Slot.FULL_OUTPUT);
        fullGrad.assign(0);
        l.window(fullGrad).assign(dOut);
      }
      // Without the bias input deconv2d_bp gives [dx, dW]; dL/db does not depend on b.
      Nd4j.exec(DynamicCustomOp.builder("deconv2d_bp").addInputs(x, w, fullGrad).addOutputs(inputGrad, dw)
          .addIntegerArguments(iArgs(kernel, strides, 0, 1)).build());
      if (!transposeKernel) {
        KernelFlip.apply(dw, dKernel);
      }
    } else {
      INDArray kc = kernel;
      INDArray dkc = dKernel;
      if (transposeKernel) {
        kc = l.slot(buf, Slot.KERNEL);
        dkc = l.slot(buf, Slot.KERNEL_GRAD);
        KernelFlip.apply(kernel, kc);
      }
      INDArray xd = l.slot(buf, Slot.INPUT);
      INDArray dxd = l.slot(buf, Slot.INPUT_GRAD);
      xd.assign(0);
      l.interior(xd).assign(x);
      Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(xd, kc, dOut).addOutputs(dxd, dkc)
          .addIntegerArguments(iArgs(kernel, new int[] {1, 1}, 0, 1)).build());
      if (transposeKernel) {
        KernelFlip.apply(dkc, dKernel);
      }
      if (dx != null) {
        dx.assign(l.interior(dxd));
      }
    }
    if (dBias != null) {
      Reshapes.asMatrix(dOut, yShape[3], "ConvTranspose output gradient").sum(dBias, 0);
    }
  }

  /** {@link #forward} with the parameters as a record. */
  public static void forward(
      INDArray x, ConvTransposeParams params, int[] strides, Padding padding, boolean transposeKernel,
      INDArray out, INDArray scratch) {
    forward(x, params.kernel(), params.bias(), strides, padding, transposeKernel, out, scratch);
  }

  /** {@link #backward} with the parameters and their gradients as records. */
  public static void backward(
      INDArray x, ConvTransposeParams params, INDArray dOut, INDArray dx, ConvTransposeParams grads,
      int[] strides, Padding padding, boolean transposeKernel, INDArray scratch) {
    backward(x, params.kernel(), dOut, dx, grads.kernel(), grads.bias(), strides, padding, transposeKernel, scratch);
  }

  /** libnd4j's {@code [kH, kW, sH, sW, pH = 0, pW = 0, dH = 1, dW = 1, isSameMode, NHWC, wFormat 0]}. */
  private static int[] iArgs(INDArray kernel, int[] strides, int sameMode, int nhwc) {
    return new int[] {
      (int) kernel.size(0), (int) kernel.size(1), strides[0], strides[1], 0, 0, 1, 1, sameMode, nhwc, 0
    };
  }

  private static boolean isValid(Padding.Explicit e) {
    return e.top() == 0 && e.bottom() == 0 && e.left() == 0 && e.right() == 0;
  }

  private enum Slot { KERNEL, KERNEL_GRAD, INPUT, INPUT_GRAD, FULL_OUTPUT }

  /** Where each piece of the flat scratch buffer lies, for one call's shapes. */
  private static final class Layout {
    final boolean nativePath;
    final long[] kernelShape; // of the flipped kernel
    final long[] inputShape; // of the dilated input, or x on the native path
    final long[] fullShape; // of deconv2d's VALID output on the native path, else null
    final long[] outShape; // of the output
    final long[] cropLo; // where the output starts in the full output, per spatial axis
    final long[] offsets = new long[Slot.values().length];
    final long[] lengths = new long[Slot.values().length];
    final long total;
    final long[] lo;
    final long h;
    final long w;
    final int[] strides;

    Layout(boolean nativePath, long[] kernelShape, long[] inputShape, long[] fullShape, long[] outShape,
        boolean[] used, long[] lo, long h, long w, int[] strides) {
      this.nativePath = nativePath;
      this.kernelShape = kernelShape;
      this.inputShape = inputShape;
      this.fullShape = fullShape;
      this.outShape = outShape;
      this.cropLo = fullShape == null ? null
          : new long[] {kernelShape[0] - 1 - lo[0], kernelShape[1] - 1 - lo[1]};
      this.lo = lo;
      this.h = h;
      this.w = w;
      this.strides = strides;
      long off = 0;
      for (Slot s : Slot.values()) {
        long len = !used[s.ordinal()] ? 0 : ScratchView.length(shape(s));
        offsets[s.ordinal()] = off;
        lengths[s.ordinal()] = len;
        off += len;
      }
      total = off;
    }

    /** Slot {@code s} of the flat buffer as a C-order array (sub-views are not taken with {@code get}: {@link ScratchView}). */
    INDArray slot(INDArray buf, Slot s) {
      long len = lengths[s.ordinal()];
      if (len == 0) {
        throw new IllegalStateException("no scratch slot " + s);
      }
      return ScratchView.of(buf, offsets[s.ordinal()], shape(s));
    }

    private long[] shape(Slot s) {
      return switch (s) {
        case KERNEL, KERNEL_GRAD -> kernelShape;
        case INPUT, INPUT_GRAD -> inputShape;
        case FULL_OUTPUT -> fullShape;
      };
    }

    /** Whether the native path's output is a proper window of deconv2d's full output. */
    boolean cropped() {
      return fullShape != null && !Arrays.equals(fullShape, outShape);
    }

    /** The view of the full output slot (or its gradient) that holds the output. */
    INDArray window(INDArray full) {
      long[] st = full.stride();
      return Nd4j.create(full.data(), outShape, st, full.offset() + cropLo[0] * st[1] + cropLo[1] * st[2], 'c');
    }

    /** The view of the dilated input (or its gradient), a C-order slot, that holds x. */
    INDArray interior(INDArray xd) {
      long[] st = xd.stride();
      long offset = xd.offset() + lo[0] * st[1] + lo[1] * st[2];
      return Nd4j.create(xd.data(), new long[] {inputShape[0], h, w, inputShape[3]},
          new long[] {st[0], st[1] * strides[0], st[2] * strides[1], st[3]}, offset, 'c');
    }
  }

  private static Layout layout(
      long[] xShape, long[] kernelShape, int[] strides, Padding padding, boolean transposeKernel,
      boolean allowNative) {
    long[] flipped = {kernelShape[0], kernelShape[1], kernelShape[3], kernelShape[2]};
    long[] lo = {
      pads((int) kernelShape[0], strides[0], padding, 0)[0], pads((int) kernelShape[1], strides[1], padding, 1)[0]
    };
    long[] outShape = outputShape(xShape, kernelShape, strides, padding, transposeKernel);
    if (allowNative && usesDeconv2d(kernelShape, strides, padding)) {
      long[] full = outShape.clone();
      for (int axis = 0; axis < 2; axis++) {
        full[axis + 1] = (xShape[axis + 1] - 1) * strides[axis] + kernelShape[axis];
      }
      boolean[] used = {!transposeKernel, !transposeKernel, false, true, !Arrays.equals(full, outShape)};
      return new Layout(true, flipped, xShape, full, outShape, used, lo, xShape[1], xShape[2], strides);
    }
    long[] dilated = xShape.clone();
    for (int axis = 0; axis < 2; axis++) {
      long[] p = pads((int) kernelShape[axis], strides[axis], padding, axis);
      dilated[axis + 1] = (xShape[axis + 1] - 1) * strides[axis] + 1 + p[0] + p[1];
    }
    boolean[] used = {transposeKernel, transposeKernel, true, true, false};
    return new Layout(false, flipped, dilated, null, outShape, used, lo, xShape[1], xShape[2], strides);
  }

  private static INDArray buffer(INDArray scratch, INDArray x, Layout l) {
    long[] shape = {Math.max(1, l.total)};
    if (scratch == null) {
      return Nd4j.create(x.dataType(), shape);
    }
    requireShape("scratch", shape, scratch);
    if (scratch.stride(0) != 1) {
      throw new IllegalArgumentException("ConvTranspose scratch must be contiguous");
    }
    if (scratch.dataType() != x.dataType()) {
      throw new IllegalArgumentException(
          "ConvTranspose scratch must be " + x.dataType() + ", got " + scratch.dataType());
    }
    return scratch;
  }

  private static void checkBias(INDArray bias, long out) {
    if (bias != null && (bias.rank() != 1 || bias.length() != out)) {
      throw new IllegalArgumentException(
          "ConvTranspose bias must be [" + out + "], got " + Arrays.toString(bias.shape()));
    }
  }

  private static void requireShape(String what, long[] expected, INDArray a) {
    if (!Arrays.equals(expected, a.shape())) {
      throw new IllegalArgumentException(
          "ConvTranspose " + what + " must be " + Arrays.toString(expected) + ", got "
              + Arrays.toString(a.shape()));
    }
  }
}
