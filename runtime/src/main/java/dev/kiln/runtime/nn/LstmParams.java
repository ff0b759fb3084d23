package dev.kiln.runtime.nn;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of a Flax {@code nn.LSTMCell(features=H)} on inputs of {@code E} features, in the
 * order Flax creates them ({@code params/<cell>/ii/kernel}, {@code hi/kernel}, {@code hi/bias}, ...).
 * The input kernels {@code i*} have no bias; the recurrent ones {@code h*} carry the gate's bias.
 * {@link LstmOps} gives the equations.
 *
 * @param iiKernel {@code [E, H]}, input gate, from the input
 * @param hiKernel {@code [H, H]}, input gate, from the hidden state
 * @param hiBias {@code [H]}, input gate
 * @param ifKernel {@code [E, H]}, forget gate, from the input
 * @param hfKernel {@code [H, H]}, forget gate, from the hidden state
 * @param hfBias {@code [H]}, forget gate
 * @param igKernel {@code [E, H]}, cell candidate, from the input
 * @param hgKernel {@code [H, H]}, cell candidate, from the hidden state
 * @param hgBias {@code [H]}, cell candidate
 * @param ioKernel {@code [E, H]}, output gate, from the input
 * @param hoKernel {@code [H, H]}, output gate, from the hidden state
 * @param hoBias {@code [H]}, output gate
 */
public record LstmParams(
    INDArray iiKernel, INDArray hiKernel, INDArray hiBias,
    INDArray ifKernel, INDArray hfKernel, INDArray hfBias,
    INDArray igKernel, INDArray hgKernel, INDArray hgBias,
    INDArray ioKernel, INDArray hoKernel, INDArray hoBias) {
  public LstmParams {
    Objects.requireNonNull(iiKernel, "iiKernel");
    if (iiKernel.rank() != 2) {
      throw new IllegalArgumentException(
          "LSTM ii/kernel must be [E, H], got " + Arrays.toString(iiKernel.shape()));
    }
    long e = iiKernel.size(0);
    long h = iiKernel.size(1);
    require("ii/kernel", iiKernel, e, h);
    require("if/kernel", ifKernel, e, h);
    require("ig/kernel", igKernel, e, h);
    require("io/kernel", ioKernel, e, h);
    require("hi/kernel", hiKernel, h, h);
    require("hf/kernel", hfKernel, h, h);
    require("hg/kernel", hgKernel, h, h);
    require("ho/kernel", hoKernel, h, h);
    require("hi/bias", hiBias, h);
    require("hf/bias", hfBias, h);
    require("hg/bias", hgBias, h);
    require("ho/bias", hoBias, h);
  }

  /** {@code E}, the number of input features. */
  public long inputFeatures() {
    return iiKernel.size(0);
  }

  /** {@code H}, the number of hidden features ({@code features} of the cell). */
  public long hiddenFeatures() {
    return iiKernel.size(1);
  }

  /** The input kernels {@code ii, if, ig, io}, in Flax's gate order. */
  public INDArray[] inputKernels() {
    return new INDArray[] {iiKernel, ifKernel, igKernel, ioKernel};
  }

  /** The recurrent kernels {@code hi, hf, hg, ho}, in Flax's gate order. */
  public INDArray[] hiddenKernels() {
    return new INDArray[] {hiKernel, hfKernel, hgKernel, hoKernel};
  }

  /** The biases {@code hi, hf, hg, ho}, in Flax's gate order. */
  public INDArray[] biases() {
    return new INDArray[] {hiBias, hfBias, hgBias, hoBias};
  }

  private static void require(String name, INDArray a, long... shape) {
    Objects.requireNonNull(a, name);
    if (!Arrays.equals(a.shape(), shape)) {
      throw new IllegalArgumentException(
          "LSTM " + name + " must be " + Arrays.toString(shape) + " (E = input features, H = hidden"
              + " features, from ii/kernel), got " + Arrays.toString(a.shape()));
    }
  }
}
