package dev.kiln.runtime.model;

import dev.kiln.runtime.io.ParameterMismatchException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small helpers that generated model code calls; kept here so generated code stays short. */
public final class ModelSupport {
  private ModelSupport() {}

  /** The Flax scope path of a descendant: {@code scope + names}. */
  public static List<String> scope(List<String> scope, String... names) {
    List<String> path = new ArrayList<>(scope.size() + names.length);
    path.addAll(scope);
    path.addAll(List.of(names));
    return path;
  }

  /**
   * Checks a batch against a model's input shape (per example; -1 for a symbolic size) and type:
   * floating point, or any number type for a model that embeds token ids.
   *
   * @throws IllegalArgumentException naming the model, the expected and the found shape
   */
  public static void checkInput(String model, long[] perExample, INDArray input, boolean tokenIds) {
    long[] shape = input.shape();
    boolean ok = shape.length == perExample.length + 1 && shape[0] > 0;
    for (int i = 0; ok && i < perExample.length; i++) {
      ok = perExample[i] < 0 || perExample[i] == shape[i + 1];
    }
    if (!ok) {
      StringBuilder expected = new StringBuilder("(B");
      for (long d : perExample) {
        expected.append(',').append(d < 0 ? "?" : Long.toString(d));
      }
      throw new IllegalArgumentException(model + " expects input " + expected + "), found "
          + Arrays.toString(shape));
    }
    if (tokenIds ? !input.dataType().isNumerical() : !input.dataType().isFPType()) {
      throw new IllegalArgumentException(model + " expects " + (tokenIds ? "token ids" : "floating-point values")
          + ", found " + input.dataType());
    }
  }

  /** The data type a model computes in for this input: its own, or float32 for token ids. */
  public static org.nd4j.linalg.api.buffer.DataType computeType(INDArray input) {
    return input.dataType().isFPType() ? input.dataType() : org.nd4j.linalg.api.buffer.DataType.FLOAT;
  }

  /**
   * The key Flax's {@code make_rng('dropout')} gives the module {@code name} under {@code scope} on its
   * first call: one fold of the stream's root key with the hash of the path and counter 1.
   */
  public static dev.kiln.runtime.random.PRNGKey dropoutKey(
      dev.kiln.runtime.random.PRNGKey root, List<String> scope, String name) {
    if (root == null) {
      throw new IllegalStateException("dropout in training needs a key: set the tape's dropoutKey"
          + " (a generated trainer sets it every step)");
    }
    return dev.kiln.runtime.random.FlaxRng.paramKey(root, scope(scope, name), 1);
  }

  /** {@code given}, or {@code buffer} filled with zeros when the caller passed no cotangent. */
  public static INDArray orZeros(INDArray given, INDArray buffer) {
    return given != null ? given : buffer.assign(0);
  }

  /** Zeros shaped like {@code array}, or null for an absent parameter. */
  public static INDArray zerosLike(INDArray array) {
    return array == null ? null : Nd4j.zerosLike(array);
  }

  /**
   * Fails with every missing, unexpected and mis-shaped parameter of a model. Entries under {@code
   * batch_stats/} are state: they may be missing (state then starts afresh) but not wrong.
   */
  public static void checkParameters(
      String model, Map<String, long[]> params, Map<String, long[]> state, Map<String, INDArray> found) {
    Map<String, long[]> expected = new java.util.LinkedHashMap<>();
    params.forEach((path, shape) -> expected.put(path, fit(shape, found.get(path))));
    state.forEach((path, shape) -> {
      if (found.containsKey(STATE + path)) {
        expected.put(STATE + path, fit(shape, found.get(STATE + path)));
      }
    });
    ParameterMismatchException.check(expected, found, model);
  }

  /** {@code shape} with its -1 sizes (symbols such as a vocabulary) taken from the array found, if any. */
  private static long[] fit(long[] shape, INDArray found) {
    if (found == null || found.rank() != shape.length) {
      return shape;
    }
    long[] fitted = shape.clone();
    for (int i = 0; i < fitted.length; i++) {
      if (fitted[i] < 0) {
        fitted[i] = found.size(i);
      }
    }
    return fitted;
  }

  /** The prefix of state entries (Flax's {@code batch_stats} collection) in a variables map. */
  public static final String STATE = "batch_stats/";

  /** {@code arrays[path]}, or {@code initial} when the map carries no such state. */
  public static INDArray stateOr(Map<String, INDArray> arrays, String path, INDArray initial) {
    INDArray found = arrays.get(path);
    return found != null ? found : initial;
  }

  /** {@code target}, or {@code scratch} when no one asked for the result (an op that must write somewhere). */
  public static INDArray orScratch(INDArray target, INDArray scratch) {
    return target != null ? target : scratch;
  }
}
