package dev.kiln.runtime.nn;

import dev.kiln.runtime.random.JaxRandom;
import dev.kiln.runtime.random.PRNGKey;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Flax's {@code nn.Dropout(rate)} in training mode ({@code deterministic=False}), with the very mask
 * Flax draws. With {@code keep = 1 - rate}:
 *
 * <pre>
 *   mask = jax.random.bernoulli(key, keep, x.shape)      (1 where kept, 0 where dropped)
 *   y    = mask ? x / keep : 0        = x * mask / keep
 *   dL/dx = dL/dy * mask / keep
 * </pre>
 *
 * Like Flax, {@code rate = 0} keeps everything and {@code rate = 1} drops everything without
 * drawing a key (Flax returns early there, so its rng counter does not advance either).
 *
 * <p><b>The key.</b> Flax's Dropout calls {@code self.make_rng('dropout')} once per call: the
 * {@code 'dropout'} stream's root key (the {@code rngs={'dropout': root}} of {@code apply}) folded
 * with the hash of the module's scope path and that scope's call counter. {@link
 * dev.kiln.runtime.random.FlaxRng} derives it: {@code new FlaxRng(root).scope("Dropout_0").nextKey()}
 * for a submodule {@code Dropout_0} (one {@code FlaxRng} per {@code apply}, so the counter restarts
 * at 1 each step), {@code new FlaxRng(root).root().nextKey()} for a Dropout applied on its own.
 * Broadcast dimensions ({@code broadcast_dims}) are not supported.
 *
 * <p>Results are written into caller-given arrays, all shaped like {@code x}; float32 and float64
 * both work. The mask is drawn as float32 by {@link JaxRandom#bernoulli} (bit-exact with JAX) and
 * copied into {@code mask}.
 */
public final class DropoutOps {
  private DropoutOps() {}

  /**
   * {@code out = x * mask / (1 - rate)} with a fresh mask.
   *
   * @param rate the probability of dropping an element, in {@code [0, 1]}
   * @param key the {@code make_rng('dropout')} key (see above); unused, may be {@code null}, when
   *     {@code rate} is 0 or 1
   * @param mask receives the mask (1 kept, 0 dropped); keep it for {@link #backward}
   * @param out receives the output; overwritten
   */
  public static void forward(INDArray x, double rate, PRNGKey key, INDArray mask, INDArray out) {
    requireShape("mask", x, mask);
    requireShape("output", x, out);
    double keep = keep(rate);
    if (keep == 1.0) {
      mask.assign(1.0);
    } else if (keep == 0.0) {
      mask.assign(0.0);
    } else {
      mask.assign(JaxRandom.bernoulli(key, (float) keep, x.shape()));
    }
    scale(x, mask, keep, out);
  }

  /** {@code dx = dOut * mask / (1 - rate)}, with the mask of the forward call; overwritten. */
  public static void backward(INDArray dOut, INDArray mask, double rate, INDArray dx) {
    requireShape("mask", dOut, mask);
    requireShape("input gradient", dOut, dx);
    scale(dOut, mask, keep(rate), dx);
  }

  /** {@code out = a * mask / keep} (0 where {@code keep = 0}); as Flax, a division by {@code keep}. */
  private static void scale(INDArray a, INDArray mask, double keep, INDArray out) {
    a.mul(mask, out);
    if (keep > 0.0) {
      out.divi(keep);
    }
  }

  private static double keep(double rate) {
    if (!(rate >= 0.0 && rate <= 1.0)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1], got " + rate);
    }
    return 1.0 - rate;
  }

  private static void requireShape(String what, INDArray expected, INDArray a) {
    if (!Arrays.equals(expected.shape(), a.shape())) {
      throw new IllegalArgumentException(
          "Dropout " + what + " must be " + Arrays.toString(expected.shape()) + ", got "
              + Arrays.toString(a.shape()));
    }
  }
}
