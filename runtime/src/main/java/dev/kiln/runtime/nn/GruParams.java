package dev.kiln.runtime.nn;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of a Flax {@code nn.GRUCell} with {@code E} input and {@code H} hidden features, in
 * the order Flax creates them ({@code params/<name>/ir/kernel}, {@code .../ir/bias}, {@code
 * .../hr/kernel}, ...): the input kernels {@code [E, H]} each with a bias {@code [H]}, the recurrent
 * kernels {@code [H, H]} without one, except {@code hn}, whose bias sits inside the reset gate's
 * product (see {@link GruOps}).
 *
 * @param irKernel {@code ir/kernel} {@code [E, H]}
 * @param irBias {@code ir/bias} {@code [H]}
 * @param hrKernel {@code hr/kernel} {@code [H, H]}
 * @param izKernel {@code iz/kernel} {@code [E, H]}
 * @param izBias {@code iz/bias} {@code [H]}
 * @param hzKernel {@code hz/kernel} {@code [H, H]}
 * @param inKernel {@code in/kernel} {@code [E, H]}
 * @param inBias {@code in/bias} {@code [H]}
 * @param hnKernel {@code hn/kernel} {@code [H, H]}
 * @param hnBias {@code hn/bias} {@code [H]}
 */
public record GruParams(
    INDArray irKernel, INDArray irBias, INDArray hrKernel,
    INDArray izKernel, INDArray izBias, INDArray hzKernel,
    INDArray inKernel, INDArray inBias, INDArray hnKernel, INDArray hnBias) {
  public GruParams {
    Objects.requireNonNull(irKernel, "ir/kernel");
    if (irKernel.rank() != 2) {
      throw new IllegalArgumentException(
          "GRU ir/kernel must be [E, H], got " + Arrays.toString(irKernel.shape()));
    }
    long e = irKernel.size(0);
    long h = irKernel.size(1);
    requireShape("ir/bias", irBias, h);
    requireShape("hr/kernel", hrKernel, h, h);
    requireShape("iz/kernel", izKernel, e, h);
    requireShape("iz/bias", izBias, h);
    requireShape("hz/kernel", hzKernel, h, h);
    requireShape("in/kernel", inKernel, e, h);
    requireShape("in/bias", inBias, h);
    requireShape("hn/kernel", hnKernel, h, h);
    requireShape("hn/bias", hnBias, h);
  }

  /** {@code E}, the size of an input vector. */
  public long inFeatures() {
    return irKernel.size(0);
  }

  /** {@code H}, the size of the hidden state (Flax's {@code features}). */
  public long features() {
    return irKernel.size(1);
  }

  private static void requireShape(String name, INDArray a, long... shape) {
    Objects.requireNonNull(a, name);
    if (!Arrays.equals(a.shape(), shape)) {
      throw new IllegalArgumentException(
          "GRU " + name + " must be " + Arrays.toString(shape) + " (E and H as in ir/kernel), got "
              + Arrays.toString(a.shape()));
    }
  }
}
