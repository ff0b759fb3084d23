package dev.kiln.runtime.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Flax's default {@code nn.gelu} ({@code approximate=True}), composed from native element-wise ops
 * because ND4J's own {@code GELU} (a sigmoid approximation) and {@code PreciseGELU} do not match it.
 *
 * <pre>
 *   c = sqrt(2/pi),  k = 0.044715
 *   u = c (x + k x^3)           u' = c (1 + 3k x^2)
 *   t = tanh(u)
 *   y = 0.5 x (1 + t)
 *   dy/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) u'
 *         = (1 + t) (0.5 + 0.5 x u' (1 - t))
 * </pre>
 */
public final class Gelu {
  static final double C = Math.sqrt(2.0 / Math.PI);
  static final double K = 0.044715;

  private Gelu() {}

  /** {@code out = gelu(x)}, element-wise; {@code out} (shaped like {@code x}) is the only scratch. */
  public static void forward(INDArray x, INDArray out) {
    tanhOfU(x, out); // out = t
    out.addi(1.0).muli(0.5); // 0.5 (1 + t)
    out.muli(x); // 0.5 x (1 + t)
  }

  /**
   * {@code dx = dOut * gelu'(x)}, allocating one scratch array shaped like {@code x}; use {@link
   * #backward(INDArray, INDArray, INDArray, INDArray)} to give it instead.
   */
  public static void backward(INDArray x, INDArray dOut, INDArray dx) {
    backward(x, dOut, dx, Nd4j.createUninitialized(x.dataType(), x.shape()));
  }

  /**
   * {@code dx = dOut * gelu'(x)}, element-wise.
   *
   * @param scratch an array shaped like {@code x}, overwritten (its contents are irrelevant)
   */
  public static void backward(INDArray x, INDArray dOut, INDArray dx, INDArray scratch) {
    // dx = 0.5 x u'
    x.mul(x, dx);
    dx.muli(3.0 * C * K).addi(C); // u' = c (1 + 3k x^2)
    dx.muli(x).muli(0.5);
    // scratch = 1 - t
    tanhOfU(x, scratch);
    scratch.rsubi(1.0);
    // dx = 0.5 + 0.5 x u' (1 - t)
    dx.muli(scratch).addi(0.5);
    // dx *= 1 + t  (= 2 - (1 - t))
    scratch.rsubi(2.0);
    dx.muli(scratch);
    dx.muli(dOut);
  }

  /** {@code out = tanh(c (x + k x^3))}, computed as {@code tanh(x (c + ck x^2))}. */
  private static void tanhOfU(INDArray x, INDArray out) {
    x.mul(x, out);
    out.muli(C * K).addi(C);
    out.muli(x);
    Nd4j.exec(new Tanh(out, out));
  }
}
