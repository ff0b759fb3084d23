package dev.kiln.runtime.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Loaded parameters that do not fit a model: the message lists every missing path, every unexpected
 * path and every wrong shape at once (expected and found), so one attempt shows the whole problem,
 * e.g. {@code dense/kernel: expected [50176, 10], found [784, 10]}.
 */
public final class ParameterMismatchException extends IllegalArgumentException {
  private final List<String> missing;
  private final List<String> unexpected;
  private final List<String> wrongShapes;

  private ParameterMismatchException(String modelName, List<String> missing, List<String> unexpected,
      List<String> wrongShapes) {
    super(message(modelName, missing, unexpected, wrongShapes));
    this.missing = List.copyOf(missing);
    this.unexpected = List.copyOf(unexpected);
    this.wrongShapes = List.copyOf(wrongShapes);
  }

  /**
   * Compares the parameters {@code found} with the shapes a model expects, by Flax path.
   *
   * @throws ParameterMismatchException if any path is missing or unexpected, or any shape differs
   */
  public static void check(Map<String, long[]> expected, Map<String, INDArray> found, String modelName) {
    List<String> missing = new ArrayList<>();
    List<String> wrongShapes = new ArrayList<>();
    expected.forEach((path, shape) -> {
      INDArray array = found.get(path);
      if (array == null) {
        missing.add(path + " " + Arrays.toString(shape));
      } else if (!Arrays.equals(shape, array.shape())) {
        wrongShapes.add(path + ": expected " + Arrays.toString(shape) + ", found " + Arrays.toString(array.shape()));
      }
    });
    List<String> unexpected = new ArrayList<>();
    found.forEach((path, array) -> {
      if (!expected.containsKey(path)) {
        unexpected.add(path + " " + Arrays.toString(array.shape()));
      }
    });
    if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShapes.isEmpty()) {
      throw new ParameterMismatchException(modelName, missing, unexpected, wrongShapes);
    }
  }

  /** Missing paths, each with the shape the model expects. */
  public List<String> missing() {
    return missing;
  }

  /** Paths the model does not have, each with the shape found. */
  public List<String> unexpected() {
    return unexpected;
  }

  /** {@code path: expected [..], found [..]} for each wrong shape. */
  public List<String> wrongShapes() {
    return wrongShapes;
  }

  private static String message(String modelName, List<String> missing, List<String> unexpected,
      List<String> wrongShapes) {
    StringBuilder out = new StringBuilder("parameters do not match model ").append(modelName).append(": ")
        .append(missing.size()).append(" missing, ").append(unexpected.size()).append(" unexpected, ")
        .append(wrongShapes.size()).append(" with the wrong shape");
    missing.forEach(m -> out.append("\n  missing: ").append(m));
    unexpected.forEach(u -> out.append("\n  unexpected: ").append(u));
    wrongShapes.forEach(w -> out.append("\n  ").append(w));
    return out.toString();
  }
}
