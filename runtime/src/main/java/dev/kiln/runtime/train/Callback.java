package dev.kiln.runtime.train;

import java.util.Map;

/**
 * Hooks into a training run, for logging, early inspection or custom checkpoints. Both methods do
 * nothing by default; epochs are numbered from 1 and steps from 1 over the whole run.
 */
public interface Callback {
  /** After each step, with the loss computed before its update. */
  default void onStep(int epoch, long step, double loss) {}

  /** After each epoch's evaluation, with that epoch's figures as recorded in {@link History}. */
  default void onEpochEnd(int epoch, Map<String, Double> figures) {}
}
