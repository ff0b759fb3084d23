package dev.kiln.runtime.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Flax's {@code nn.max_pool} and {@code nn.avg_pool} on NHWC inputs: a {@code (kh, kw)} window
 * moved with strides {@code (sh, sw)} over each channel, with {@link Padding#SAME} or {@link
 * Padding#VALID} (output sizes as {@link ConvOps#outputSize} with dilation 1). With {@code W(i, j)}
 * the window's positions that lie inside the (unpadded) input:
 *
 * <pre>
 *   max:  y[n,i,j,c] = max_{(p,q) in W(i,j)} x[n,p,q,c]      (padding is -inf, never chosen)
 *         dL/dx[n,p,q,c] = sum over windows whose maximum is x[n,p,q,c] of G[n,i,j,c]
 *   avg:  y[n,i,j,c] = (1 / D(i,j)) sum_{(p,q) in W(i,j)} x[n,p,q,c]
 *         D = kh kw with count_include_pad (Flax's default: padding counts as zeros),
 *         D = |W(i,j)| without it
 *         dL/dx[n,p,q,c] = sum over windows (i,j) containing (p,q) of G[n,i,j,c] / D(i,j)
 * </pre>
 *
 * <p>The native ops are libnd4j's {@code maxpool2d}/{@code avgpool2d} and their {@code _bp}, NHWC,
 * {@code isSameMode} for SAME (whose padding split equals XLA's); {@code avgpool2d}'s {@code
 * extraParam0} selects the divisor (1: {@code kh kw}, 0: the count of real inputs), so both Flax
 * variants are native. Explicit padding is not supported. Results are written into caller-given
 * arrays; float32 and float64 both work (all arrays of one type).
 */
public final class PoolOps {
  private PoolOps() {}

  /** The NHWC output shape {@code [N, outH, outW, C]}. */
  public static long[] outputShape(long[] xShape, int[] window, int[] strides, Padding padding) {
    if (xShape.length != 4) {
      throw new IllegalArgumentException("pooling needs x [N, H, W, C], got " + Arrays.toString(xShape));
    }
    return new long[] {
      xShape[0],
      ConvOps.outputSize(xShape[1], window[0], strides[0], padding, 1, 0),
      ConvOps.outputSize(xShape[2], window[1], strides[1], padding, 1, 1),
      xShape[3]
    };
  }

  /** {@code out = max_pool(x)}, {@code out} of {@link #outputShape}; overwritten. */
  public static void maxForward(INDArray x, int[] window, int[] strides, Padding padding, INDArray out) {
    exec("maxpool2d", x, null, out, window, strides, padding, 0);
  }

  /** {@code dx = dL/dx} of {@code max_pool} given {@code dOut = dL/dout}; {@code dx} is overwritten. */
  public static void maxBackward(
      INDArray x, int[] window, int[] strides, Padding padding, INDArray dOut, INDArray dx) {
    exec("maxpool2d_bp", x, dOut, dx, window, strides, padding, 0);
  }

  /**
   * {@code out = avg_pool(x)}, {@code out} of {@link #outputShape}; overwritten.
   *
   * @param countIncludePad Flax's {@code count_include_pad} (default {@code true}): divide by the
   *     window size rather than by the number of real inputs in it; irrelevant for VALID
   */
  public static void avgForward(
      INDArray x, int[] window, int[] strides, Padding padding, boolean countIncludePad, INDArray out) {
    exec("avgpool2d", x, null, out, window, strides, padding, countIncludePad ? 1 : 0);
  }

  /** {@code dx = dL/dx} of {@code avg_pool} given {@code dOut = dL/dout}; {@code dx} is overwritten. */
  public static void avgBackward(
      INDArray x, int[] window, int[] strides, Padding padding, boolean countIncludePad,
      INDArray dOut, INDArray dx) {
    exec("avgpool2d_bp", x, dOut, dx, window, strides, padding, countIncludePad ? 1 : 0);
  }

  /**
   * Runs a pooling op with libnd4j's arguments {@code [kH, kW, sH, sW, pH = 0, pW = 0, dH = 1, dW =
   * 1, isSameMode, extraParam0, isNHWC = 1]}.
   */
  private static void exec(
      String name, INDArray x, INDArray dOut, INDArray out, int[] window, int[] strides,
      Padding padding, int extraParam0) {
    boolean same = padding instanceof Padding.Same;
    if (!same && !padding.equals(Padding.VALID)) {
      throw new IllegalArgumentException("pooling supports SAME and VALID padding, got " + padding);
    }
    long[] yShape = outputShape(x.shape(), window, strides, padding);
    long[] expected = dOut == null ? yShape : x.shape();
    if (dOut != null && !Arrays.equals(yShape, dOut.shape())) {
      throw new IllegalArgumentException(
          "pooling output gradient must be " + Arrays.toString(yShape) + ", got " + Arrays.toString(dOut.shape()));
    }
    if (!Arrays.equals(expected, out.shape())) {
      throw new IllegalArgumentException(
          "pooling " + (dOut == null ? "output" : "input gradient") + " must be "
              + Arrays.toString(expected) + ", got " + Arrays.toString(out.shape()));
    }
    Nd4j.exec(
        DynamicCustomOp.builder(name)
            .addInputs(dOut == null ? new INDArray[] {x} : new INDArray[] {x, dOut})
            .addOutputs(out)
            .addIntegerArguments(
                window[0], window[1], strides[0], strides[1], 0, 0, 1, 1, same ? 1 : 0, extraParam0, 1)
            .build());
  }
}
