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

  /** Fails with every missing, unexpected and mis-shaped parameter of a model. */
  public static void checkParameters(String model, Map<String, long[]> expected, Map<String, INDArray> found) {
    ParameterMismatchException.check(expected, found, model);
  }
}
