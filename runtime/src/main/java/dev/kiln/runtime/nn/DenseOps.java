package dev.kiln.runtime.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Flax's {@code nn.Dense}: an affine map on the last axis, {@code (..., in) -> (..., out)}.
 *
 * <p>With the leading axes flattened into a batch of {@code N} rows, {@code X [N, in]}, {@code K
 * [in, out]}, {@code b [out]}:
 *
 * <pre>
 *   forward:   Y = X K + b                      Y[n,j] = sum_i X[n,i] K[i,j] + b[j]
 *   backward:  given G = dL/dY [N, out]
 *              dL/dK = X^T G                    (dY[n,j]/dK[i,j] = X[n,i])
 *              dL/db = sum_n G[n,:]             (dY[n,j]/db[j]   = 1)
 *              dL/dX = G K^T                    (dY[n,j]/dX[n,i] = K[i,j])
 * </pre>
 *
 * <p>Every result is written into an array the caller gives (generated code preallocates them);
 * inputs of rank above 2 are viewed, not copied, as matrices (see {@link Reshapes#asMatrix}). Works
 * for float32 and float64 alike, as long as all arrays share one type.
 */
public final class DenseOps {
  private DenseOps() {}

  /**
   * {@code out = x K + b} on the last axis.
   *
   * @param x {@code (..., in)}, rank >= 2
   * @param kernel {@code [in, out]}
   * @param bias {@code [out]}, or {@code null} without a bias
   * @param out {@code (..., out)} with the leading axes of {@code x}; overwritten
   */
  public static void forward(INDArray x, INDArray kernel, INDArray bias, INDArray out) {
    INDArray x2 = Reshapes.asMatrix(x, kernel.size(0), "Dense input");
    INDArray y2 = Reshapes.asMatrix(out, kernel.size(1), "Dense output");
    requireRows(x2, y2, "output");
    // Y = 1 * X K + 0 * Y
    Nd4j.gemm(x2, kernel, y2, false, false, 1.0, 0.0);
    if (bias != null) {
      y2.addiRowVector(bias);
    }
  }

  /** {@link #forward(INDArray, INDArray, INDArray, INDArray)} with the parameters as a record. */
  public static void forward(INDArray x, DenseParams params, INDArray out) {
    forward(x, params.kernel(), params.bias(), out);
  }

  /**
   * The gradients of a scalar loss {@code L} given {@code dOut = dL/dout}; each is overwritten, not
   * accumulated.
   *
   * @param x the forward input {@code (..., in)}
   * @param kernel {@code [in, out]}
   * @param dOut {@code (..., out)}, shaped like the forward output
   * @param dx receives {@code dOut K^T}, shaped like {@code x}; {@code null} skips the input
   *     gradient (the first layer of a model needs none)
   * @param dKernel receives {@code x^T dOut}, {@code [in, out]}
   * @param dBias receives the sum of {@code dOut} over all leading axes, {@code [out]}; {@code
   *     null} without a bias
   */
  public static void backward(
      INDArray x, INDArray kernel, INDArray dOut, INDArray dx, INDArray dKernel, INDArray dBias) {
    INDArray x2 = Reshapes.asMatrix(x, kernel.size(0), "Dense input");
    INDArray g2 = Reshapes.asMatrix(dOut, kernel.size(1), "Dense output gradient");
    requireRows(x2, g2, "output gradient");
    if (!Arrays.equals(dKernel.shape(), kernel.shape())) {
      throw new IllegalArgumentException(
          "dKernel must be shaped like the kernel " + Arrays.toString(kernel.shape())
              + ", got " + Arrays.toString(dKernel.shape()));
    }
    // dK = X^T G
    Nd4j.gemm(x2, g2, dKernel, true, false, 1.0, 0.0);
    if (dBias != null) {
      // db = sum over rows of G
      g2.sum(dBias, 0);
    }
    if (dx != null) {
      INDArray dx2 = Reshapes.asMatrix(dx, kernel.size(0), "Dense input gradient");
      requireRows(x2, dx2, "input gradient");
      // dX = G K^T
      Nd4j.gemm(g2, kernel, dx2, false, true, 1.0, 0.0);
    }
  }

  /** {@link #backward(INDArray, INDArray, INDArray, INDArray, INDArray, INDArray)} with records. */
  public static void backward(
      INDArray x, DenseParams params, INDArray dOut, INDArray dx, DenseParams grads) {
    backward(x, params.kernel(), dOut, dx, grads.kernel(), grads.bias());
  }

  private static void requireRows(INDArray x2, INDArray other2, String what) {
    if (x2.size(0) != other2.size(0)) {
      throw new IllegalArgumentException(
          "Dense " + what + " has " + other2.size(0) + " rows (leading axes flattened), the input "
              + x2.size(0));
    }
  }
}
