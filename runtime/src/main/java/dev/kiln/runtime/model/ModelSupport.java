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

  /** The Flax scope path of a child: {@code scope + [name]}. */
  public static List<String> scope(List<String> scope, String name) {
    List<String> path = new ArrayList<>(scope.size() + 1);
    path.addAll(scope);
    path.add(name);
    return path;
  }

  /**
   * Checks a batch against a model's input shape (per example; -1 for a symbolic size).
   *
   * @throws IllegalArgumentException naming the model, the expected and the found shape
   */
  public static void checkInput(String model, long[] perExample, INDArray input) {
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
    if (!input.dataType().isFPType()) {
      throw new IllegalArgumentException(model + " expects a floating-point input, found " + input.dataType());
    }
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
    Map<String, long[]> expected = new java.util.LinkedHashMap<>(params);
    state.forEach((path, shape) -> {
      if (found.containsKey(STATE + path)) {
        expected.put(STATE + path, shape);
      }
    });
    ParameterMismatchException.check(expected, found, model);
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
