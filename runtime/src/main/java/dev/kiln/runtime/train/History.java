package dev.kiln.runtime.train;

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

  /** One figure over the epochs (NaN where an epoch lacks it). */
  public double[] epochFigure(String name) {
    return epochs.stream().mapToDouble(m -> m.getOrDefault(name, Double.NaN)).toArray();
  }
}
