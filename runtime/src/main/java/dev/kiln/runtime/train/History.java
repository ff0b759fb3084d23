package dev.kiln.runtime.train;

import dev.kiln.runtime.io.NpyArray;
import dev.kiln.runtime.io.NpyDtype;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run measured: the loss of every step (before its update) and, per epoch, the mean
 * training loss and the evaluation metrics ({@code test_accuracy}, ...). Grows as training runs;
 * the step losses are kept in a primitive array so recording a step allocates nothing in the common
 * case.
 */
public final class History {
  private static final String STEP_LOSSES = "step_losses";
  private static final String EPOCH_END_STEPS = "epoch_end_steps";
  private static final String EPOCHS = "epochs";

  private double[] stepLosses = new double[1024];
  private int steps;
  private final List<Integer> epochEndSteps = new ArrayList<>();
  private final List<Map<String, Double>> epochs = new ArrayList<>();

  /** Records the loss of the next step. */
  public void recordStep(double loss) {
    if (steps == stepLosses.length) {
      stepLosses = Arrays.copyOf(stepLosses, steps * 2);
    }
    stepLosses[steps++] = loss;
  }

  /** Records the end of an epoch after the steps recorded so far, with its figures by name. */
  public void recordEpoch(Map<String, Double> figures) {
    epochEndSteps.add(steps);
    epochs.add(Collections.unmodifiableMap(new LinkedHashMap<>(figures)));
  }

  /** The loss of every step, in order. */
  public double[] stepLosses() {
    return Arrays.copyOf(stepLosses, steps);
  }

  public int steps() {
    return steps;
  }

  /** Per completed epoch, its figures by name (insertion order). */
  public List<Map<String, Double>> epochs() {
    return Collections.unmodifiableList(epochs);
  }

  /** For each completed epoch, the number of steps taken when it ended. */
  public List<Integer> epochEndSteps() {
    return Collections.unmodifiableList(epochEndSteps);
  }

  /**
   * The history as a msgpack tree for a checkpoint: {@code step_losses} (a float64 array),
   * {@code epoch_end_steps} and {@code epochs} (each epoch's figures by name).
   */
  Map<String, Object> toTree() {
    ByteBuffer losses = ByteBuffer.allocate(steps * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < steps; i++) {
      losses.putDouble(stepLosses[i]);
    }
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put(STEP_LOSSES, new NpyArray(NpyDtype.FLOAT64, new long[] {steps}, losses.flip()));
    tree.put(EPOCH_END_STEPS, epochEndSteps.stream().map(Long::valueOf).toList());
    tree.put(EPOCHS, List.copyOf(epochs));
    return tree;
  }

  /** The inverse of {@link #toTree}. */
  static History fromTree(Map<String, Object> tree) throws IOException {
    if (!(tree.get(STEP_LOSSES) instanceof NpyArray losses) || losses.dtype() != NpyDtype.FLOAT64
        || losses.shape().length != 1 || !(tree.get(EPOCH_END_STEPS) instanceof List<?> ends)
        || !(tree.get(EPOCHS) instanceof List<?> figures) || ends.size() != figures.size()) {
      throw new IOException("checkpoint history: expected step_losses (float64 [steps]), epoch_end_steps and"
          + " epochs of equal length, found " + tree.keySet());
    }
    History history = new History();
    for (double loss : losses.toDoubles()) {
      history.recordStep(loss);
    }
    for (int i = 0; i < ends.size(); i++) {
      if (!(ends.get(i) instanceof Long end) || end < 0 || end > history.steps
          || (i > 0 && end < history.epochEndSteps.get(i - 1)) || !(figures.get(i) instanceof Map<?, ?> map)) {
        throw new IOException("checkpoint history: epoch " + (i + 1) + " has no valid end step and figures");
      }
      Map<String, Double> epoch = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getValue() instanceof Double value)) {
          throw new IOException("checkpoint history: epoch " + (i + 1) + " figure " + e.getKey() + " is not a number");
        }
        epoch.put((String) e.getKey(), value);
      }
      history.epochEndSteps.add(end.intValue());
      history.epochs.add(Collections.unmodifiableMap(epoch));
    }
    return history;
  }

  /** One figure over the epochs (NaN where an epoch lacks it). */
  public double[] epochFigure(String name) {
    return epochs.stream().mapToDouble(m -> m.getOrDefault(name, Double.NaN)).toArray();
  }
}
