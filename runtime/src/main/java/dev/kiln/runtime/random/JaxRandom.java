package dev.kiln.runtime.random;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code jax.random} samplers, bit-exact with JAX on CPU (threefry2x32, partitionable layout, the
 * default since JAX 0.5), so that Java-initialised parameters and dropout masks equal Flax's.
 * Element {@code i} of a draw (row-major) depends only on the key and {@code i}. Values are computed
 * in plain float loops and copied into one float32 array, which keeps large kernels fast.
 */
public final class JaxRandom {
  private static final float SQRT2 = (float) Math.sqrt(2.0);

  private JaxRandom() {}

  /** {@code jax.random.bits(key, shape)} (uint32 words, kept as Java int bit patterns). */
  public static int[] bits(PRNGKey key, long... shape) {
    int[] out = new int[count(shape)];
    int k0 = key.hi();
    int k1 = key.lo();
    for (int i = 0; i < out.length; i++) {
      out[i] = Threefry.bits32(k0, k1, i);
    }
    return out;
  }

  /** {@code jax.random.uniform(key, shape, float32, min, max)}: values in {@code [min, max)}. */
  public static INDArray uniform(PRNGKey key, float min, float max, long... shape) {
    return array(uniformValues(key, count(shape), min, max), shape);
  }

  /** {@code jax.random.normal(key, shape)}: standard normal float32 values. */
  public static INDArray normal(PRNGKey key, long... shape) {
    return array(normalValues(key, count(shape)), shape);
  }

  /**
   * {@code jax.random.truncated_normal(key, lower, upper, shape)}: standard normal cut to
   * (lower, upper). The fixtures verify the bounds (-2, 2), the ones initialisers use.
   */
  public static INDArray truncatedNormal(PRNGKey key, float lower, float upper, long... shape) {
    return array(truncatedNormalValues(key, count(shape), lower, upper), shape);
  }

  /**
   * {@code jax.random.bernoulli(key, p, shape)} ({@code uniform < p}), as a float32 mask of 1s and 0s
   * (JAX returns booleans; a float mask multiplies directly, as in Flax's dropout).
   */
  public static INDArray bernoulli(PRNGKey key, float p, long... shape) {
    float[] v = uniformValues(key, count(shape), 0f, 1f);
    for (int i = 0; i < v.length; i++) {
      v[i] = v[i] < p ? 1f : 0f;
    }
    return array(v, shape);
  }

  /**
   * {@code jax.random.gumbel(key, shape)}: standard Gumbel float32 values, {@code -log(-log(u))} for
   * {@code u = uniform(key, shape, minval = float32 tiny, maxval = 1)} as JAX draws them (the logs
   * in Java's double precision, so the last bit may differ from XLA's).
   */
  public static INDArray gumbel(PRNGKey key, long... shape) {
    float[] v = uniformValues(key, count(shape), Float.MIN_NORMAL, 1f);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) -Math.log(-Math.log(v[i]));
    }
    return array(v, shape);
  }

  /**
   * {@code jax.random.categorical(key, logits)}: one class per row of the last axis, drawn with
   * probabilities {@code softmax(logits)} as {@code argmax(logits + gumbel(key, logits.shape))}.
   *
   * @param logits {@code [..., classes]}, any floating type
   * @return the classes, one per row in row-major order
   */
  public static int[] categorical(PRNGKey key, INDArray logits) {
    long classes = logits.size(logits.rank() - 1);
    INDArray noisy = gumbel(key, logits.shape()).castTo(logits.dataType()).addi(logits);
    return noisy.reshape(noisy.length() / classes, classes).argMax(1).toIntVector();
  }

  /**
   * {@code jax.random.permutation(key, n)}: a shuffle of {@code 0..n-1} in JAX's exact order. Like
   * JAX's {@code _shuffle} it runs {@code ceil(3 ln n / ln(2^32 - 1))} rounds, each splitting the
   * key into {@code (key, subkey)} and stably sorting by {@code bits(subkey, n)} as unsigned words.
   * Ported from the JAX source; no fixture covers it.
   */
  public static int[] permutation(PRNGKey key, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("permutation size must be >= 0, got " + n);
    }
    int[] x = new int[n];
    Arrays.setAll(x, i -> i);
    int rounds = (int) Math.ceil(3 * Math.log(Math.max(1, n)) / Math.log(4294967295.0));
    long[] sortKeys = new long[n];
    int[] next = new int[n];
    for (int r = 0; r < rounds; r++) {
      PRNGKey[] keys = key.split();
      key = keys[0];
      int[] words = bits(keys[1], n);
      for (int i = 0; i < n; i++) {
        // signed order of (word ^ MIN) is unsigned order of word; the position breaks ties stably
        sortKeys[i] = ((long) (words[i] ^ Integer.MIN_VALUE) << 32) | i;
      }
      Arrays.sort(sortKeys);
      for (int i = 0; i < n; i++) {
        next[i] = x[(int) sortKeys[i]];
      }
      System.arraycopy(next, 0, x, 0, n);
    }
    return x;
  }

  /** §4-5 of the recipe: word to [0, 1), then {@code max(lo, fma(f, hi - lo, lo))}. */
  static float[] uniformValues(PRNGKey key, int n, float lo, float hi) {
    float d = hi - lo;
    int k0 = key.hi();
    int k1 = key.lo();
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      float f = Float.intBitsToFloat((Threefry.bits32(k0, k1, i) >>> 9) | 0x3F800000) - 1f;
      out[i] = Math.max(lo, Math.fma(f, d, lo));
    }
    return out;
  }

  static float[] normalValues(PRNGKey key, int n) {
    float[] v = uniformValues(key, n, Math.nextUp(-1f), 1f);
    for (int i = 0; i < n; i++) {
      v[i] = SQRT2 * XlaMath.erfinv(v[i]);
    }
    return v;
  }

  static float[] truncatedNormalValues(PRNGKey key, int n, float lower, float upper) {
    float a = XlaMath.erf(lower / SQRT2);
    float b = XlaMath.erf(upper / SQRT2);
    float min = Math.nextUp(lower);
    float max = Math.nextDown(upper);
    float[] v = uniformValues(key, n, a, b);
    for (int i = 0; i < n; i++) {
      v[i] = Math.min(Math.max(SQRT2 * XlaMath.erfinv(v[i]), min), max);
    }
    return v;
  }

  /** The element count of a shape; Java arrays cap it at {@code Integer.MAX_VALUE}. */
  static int count(long... shape) {
    long n = 1;
    for (long s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, s);
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has too many elements");
    }
    return (int) n;
  }

  /** Row-major float32 array of the given shape (a scalar for an empty shape). */
  static INDArray array(float[] values, long... shape) {
    return shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape.clone(), 'c');
  }
}
