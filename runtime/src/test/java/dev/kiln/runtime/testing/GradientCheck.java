package dev.kiln.runtime.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite-difference gradient check in double precision.
 *
 * <p>For {@code L(inputs) = sum(f(inputs) * ct)} with a fixed random cotangent {@code ct}, the
 * analytic gradients (from the code under test, given {@code ct}) are compared element by element
 * with central differences {@code (L(p + eps) - L(p - eps)) / (2 eps)}. The error of one element is
 * {@code |analytic - numeric| / max(|analytic|, |numeric|, absFloor)}: relative for ordinary
 * gradients, absolute below {@code absFloor} (where a relative error is meaningless noise).
 *
 * <pre>{@code
 * GradientCheck.of(Map.of("x", x, "kernel", k))
 *     .check(in -> forward(in), (in, ct) -> Map.of("x", dx, "kernel", dk));
 * }</pre>
 */
public final class GradientCheck {
  private final Map<String, INDArray> inputs;
  private double eps = 1e-6;
  private double maxRelError = 1e-6;
  private double absFloor = 1e-3;
  private long seed = 12345;

  private GradientCheck(Map<String, INDArray> inputs) {
    this.inputs = new LinkedHashMap<>(inputs);
    this.inputs.forEach(
        (name, a) -> {
          if (a.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException(
                "gradient check input '" + name + "' must be float64, got " + a.dataType());
          }
        });
  }

  /** A check of a function of these named float64 inputs (perturbed in place, then restored). */
  public static GradientCheck of(Map<String, INDArray> inputs) {
    return new GradientCheck(inputs);
  }

  public GradientCheck eps(double eps) {
    this.eps = eps;
    return this;
  }

  public GradientCheck maxRelError(double maxRelError) {
    this.maxRelError = maxRelError;
    return this;
  }

  public GradientCheck absFloor(double absFloor) {
    this.absFloor = absFloor;
    return this;
  }

  public GradientCheck seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * Asserts the gradients.
   *
   * @param f the function: the inputs by name to an output (a new array or one the function owns)
   * @param gradients the code under test: given the inputs and the cotangent {@code ct = dL/dy},
   *     the gradients of {@code L} with respect to the inputs to check, by name (a subset of the
   *     inputs; an input without an entry is not checked)
   * @return the largest error seen
   */
  public double check(
      Function<Map<String, INDArray>, INDArray> f,
      BiFunction<Map<String, INDArray>, INDArray, Map<String, INDArray>> gradients) {
    INDArray y0 = f.apply(inputs);
    INDArray ct = randn(seed, y0.shape());
    Map<String, INDArray> analytic = gradients.apply(inputs, ct);
    if (analytic.isEmpty()) {
      throw new IllegalArgumentException("no gradients to check");
    }
    double worst = 0;
    StringBuilder failures = new StringBuilder();
    for (Map.Entry<String, INDArray> e : analytic.entrySet()) {
      String name = e.getKey();
      INDArray p = inputs.get(name);
      if (p == null) {
        throw new IllegalArgumentException("gradient for unknown input '" + name + "'");
      }
      INDArray g = e.getValue();
      if (!Arrays.equals(g.shape(), p.shape())) {
        failures.append(String.format("gradient of '%s' has shape %s, the input %s%n",
            name, Arrays.toString(g.shape()), Arrays.toString(p.shape())));
        continue;
      }
      for (long i = 0; i < p.length(); i++) {
        double saved = p.getDouble(i);
        p.putScalar(i, saved + eps);
        double lossPlus = loss(f, ct);
        p.putScalar(i, saved - eps);
        double lossMinus = loss(f, ct);
        p.putScalar(i, saved);
        double numeric = (lossPlus - lossMinus) / (2 * eps);
        double a = g.getDouble(i);
        double err = Math.abs(a - numeric) / Math.max(Math.max(Math.abs(a), Math.abs(numeric)), absFloor);
        worst = Math.max(worst, err);
        if (!(err < maxRelError)) {
          failures.append(String.format("d/d%s at %s: analytic %.10g, numeric %.10g, error %.3g%n",
              name, Arrays.toString(index(p.shape(), i)), a, numeric, err));
        }
      }
    }
    if (failures.length() > 0) {
      fail("gradient check failed (max error " + maxRelError + "):\n" + failures);
    }
    return worst;
  }

  /** Standard normal float64 numbers from {@code java.util.Random(seed)}: reproducible anywhere. */
  public static INDArray randn(long seed, long... shape) {
    Random r = new Random(seed);
    double[] v = new double[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextGaussian();
    }
    return Nd4j.create(v, shape, DataType.DOUBLE);
  }

  /**
   * Uniform float64 numbers in {@code [-max, -min] U [min, max]}: away from zero, where kinks such
   * as relu's would spoil a finite difference.
   */
  public static INDArray uniformAwayFromZero(long seed, double min, double max, long... shape) {
    Random r = new Random(seed);
    double[] v = new double[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
    for (int i = 0; i < v.length; i++) {
      double m = min + (max - min) * r.nextDouble();
      v[i] = r.nextBoolean() ? m : -m;
    }
    return Nd4j.create(v, shape, DataType.DOUBLE);
  }

  private double loss(Function<Map<String, INDArray>, INDArray> f, INDArray ct) {
    return f.apply(inputs).castTo(DataType.DOUBLE).mul(ct).sumNumber().doubleValue();
  }

  /** The C-order multi-index of linear index {@code i} (what {@code getDouble(long)} addresses). */
  private static long[] index(long[] shape, long i) {
    long[] idx = new long[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = i % shape[d];
      i /= shape[d];
    }
    return idx;
  }
}
