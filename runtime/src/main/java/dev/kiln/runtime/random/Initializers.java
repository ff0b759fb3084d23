package dev.kiln.runtime.random;

import java.util.Arrays;

/**
 * {@code jax.nn.initializers} (= {@code flax.linen.initializers}) reproducing JAX's float32 numbers:
 * fans in double, variance rounded to float32, and the exact operation order of JAX's
 * {@code variance_scaling}, so kernels match Flax's {@code init} bit for bit (recipe section 11).
 */
public final class Initializers {
  /** Which fan {@link #varianceScaling} divides the scale by. */
  public enum Mode { FAN_IN, FAN_OUT, FAN_AVG }

  /** The distribution {@link #varianceScaling} draws from. */
  public enum Distribution { TRUNCATED_NORMAL, NORMAL, UNIFORM }

  /** Standard deviation of a standard normal truncated to (-2, 2), as JAX rounds it to float32. */
  private static final float TRUNCATED_STDDEV = 0.87962566103423978f;

  private Initializers() {}

  /**
   * {@code variance_scaling(scale, mode, distribution, in_axis, out_axis)}: a draw whose variance is
   * {@code scale / fan}. Axes may be negative (counted from the end).
   */
  public static Initializer varianceScaling(
      double scale, Mode mode, Distribution distribution, int inAxis, int outAxis) {
    return (key, shape) -> {
      float variance = (float) (scale / denominator(mode, shape, inAxis, outAxis));
      int n = JaxRandom.count(shape);
      float[] v = switch (distribution) {
        case TRUNCATED_NORMAL -> scaled(JaxRandom.truncatedNormalValues(key, n, -2f, 2f),
            sqrt(variance) / TRUNCATED_STDDEV);
        case NORMAL -> scaled(JaxRandom.normalValues(key, n), sqrt(variance));
        case UNIFORM -> scaled(JaxRandom.uniformValues(key, n, -1f, 1f), sqrt(3f * variance));
      };
      return JaxRandom.array(v, shape);
    };
  }

  /** {@link #varianceScaling(double, Mode, Distribution, int, int)} with JAX's default axes (-2, -1). */
  public static Initializer varianceScaling(double scale, Mode mode, Distribution distribution) {
    return varianceScaling(scale, mode, distribution, -2, -1);
  }

  /** {@code lecun_normal()}: Flax's default kernel init for Dense, Conv and ConvTranspose. */
  public static Initializer lecunNormal() {
    return varianceScaling(1.0, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL);
  }

  /** {@code glorot_uniform()} (Xavier uniform). */
  public static Initializer glorotUniform() {
    return varianceScaling(1.0, Mode.FAN_AVG, Distribution.UNIFORM);
  }

  /** {@code he_normal()} (Kaiming normal, truncated as in JAX). */
  public static Initializer heNormal() {
    return varianceScaling(2.0, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL);
  }

  /** {@code normal(stddev)}: {@code stddev * N(0, 1)}. */
  public static Initializer normal(float stddev) {
    return (key, shape) -> {
      return JaxRandom.array(scaled(JaxRandom.normalValues(key, JaxRandom.count(shape)), stddev), shape);
    };
  }

  /** {@code zeros}: Flax's default bias init (the key is ignored). */
  public static Initializer zeros() {
    return (key, shape) -> JaxRandom.array(new float[JaxRandom.count(shape)], shape);
  }

  /** {@code ones}: e.g. LayerNorm and BatchNorm scales (the key is ignored). */
  public static Initializer ones() {
    return (key, shape) -> {
      float[] v = new float[JaxRandom.count(shape)];
      Arrays.fill(v, 1f);
      return JaxRandom.array(v, shape);
    };
  }

  /**
   * {@code nn.Embed}'s default: {@code variance_scaling(1, fan_in, normal, out_axis=0)}; for a
   * {@code (num, features)} table the fan-in is {@code features}.
   */
  public static Initializer embedDefault() {
    return varianceScaling(1.0, Mode.FAN_IN, Distribution.NORMAL, -2, 0);
  }

  /** {@code orthogonal()}: Flax's LSTM/GRU recurrent kernel init (columns orthonormal). */
  public static Initializer orthogonal() {
    return orthogonal(1f, -1);
  }

  /**
   * {@code orthogonal(scale, column_axis)}: a normal draw of the flattened matrix (rows >= columns,
   * transposed otherwise), its QR decomposition, and Q with columns multiplied by {@code sign(diag R)}.
   * The QR runs in double here and LAPACK runs it in float32, so values agree within 6e-7 (measured
   * on the fixtures' LSTM and GRU kernels), not bit for bit: the sign fix makes Q unique, so only
   * rounding differs, and matching it would mean emulating OpenBLAS's float32 kernels.
   */
  public static Initializer orthogonal(float scale, int columnAxis) {
    return (key, shape) -> {
      if (shape.length < 2) {
        throw new IllegalArgumentException("orthogonal needs a shape of rank >= 2");
      }
      int colAxis = axis(columnAxis, shape.length);
      int cols = Math.toIntExact(shape[colAxis]);
      int rows = JaxRandom.count(shape) / cols;
      boolean transposed = rows < cols;
      int m = transposed ? cols : rows;
      int k = transposed ? rows : cols;
      float[] a = JaxRandom.normalValues(key, m * k);
      double[][] q = Qr.orthonormalFactor(a, m, k);
      float[] out = new float[rows * cols];
      // Q (rows x cols) lies in shape-without-column-axis + (cols), moved back to columnAxis
      long inner = 1;
      for (int d = colAxis + 1; d < shape.length; d++) {
        inner *= shape[d];
      }
      for (int r = 0; r < rows; r++) {
        long outer = r / inner;
        long in = r % inner;
        for (int c = 0; c < cols; c++) {
          float value = (float) (transposed ? q[c][r] : q[r][c]);
          out[(int) ((outer * cols + c) * inner + in)] = scale * value;
        }
      }
      return JaxRandom.array(out, shape);
    };
  }

  private static double denominator(Mode mode, long[] shape, int inAxis, int outAxis) {
    if (shape.length < 1) {
      throw new IllegalArgumentException("variance scaling needs a shape of rank >= 1");
    }
    double inSize = shape[axis(inAxis, shape.length)];
    double outSize = shape[axis(outAxis, shape.length)];
    double receptiveField = (double) JaxRandom.count(shape) / inSize / outSize;
    double fanIn = inSize * receptiveField;
    double fanOut = outSize * receptiveField;
    return switch (mode) {
      case FAN_IN -> fanIn;
      case FAN_OUT -> fanOut;
      case FAN_AVG -> (fanIn + fanOut) / 2;
    };
  }

  private static int axis(int axis, int rank) {
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
    }
    return a;
  }

  private static float sqrt(float x) {
    return (float) Math.sqrt(x);
  }

  /** Multiplies in place ({@code fl(v * factor)}, as JAX's float32 product) and returns {@code v}. */
  private static float[] scaled(float[] v, float factor) {
    for (int i = 0; i < v.length; i++) {
      v[i] *= factor;
    }
    return v;
  }
}
