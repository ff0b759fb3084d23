package dev.kiln.runtime.loss;

/**
 * The losses Kiln's workloads train with, defined as optax defines them (the formulas and
 * reductions are in each factory's documentation). Each writes dLoss/dPrediction into the caller's
 * gradient array and works in float32 or float64.
 */
public final class Losses {
  private Losses() {}

  /**
   * Mean over the batch of {@code optax.softmax_cross_entropy_with_integer_labels}: logits
   * {@code [batch, classes]}, labels a {@code [batch]} array of class ids, float or int.
   *
   * @throws IllegalArgumentException (from value and valueAndGradient) naming the row, the label and
   *     the class count when a label is not a whole number in {@code [0, classes)}
   */
  public static Loss softmaxCrossEntropy() {
    return new SoftmaxCrossEntropy();
  }

  /**
   * {@code optax.sigmoid_binary_cross_entropy(logits, targets).sum(features).mean(batch)}: targets in
   * [0, 1] shaped like the logits, summed over every axis but the first, averaged over the batch.
   */
  public static Loss sigmoidBinaryCrossEntropy() {
    return sigmoidBinaryCrossEntropy(Reduction.BATCH_MEAN);
  }

  /** {@code optax.sigmoid_binary_cross_entropy(logits, targets)} with the given reduction. */
  public static Loss sigmoidBinaryCrossEntropy(Reduction reduction) {
    return new SigmoidBinaryCrossEntropy(reduction);
  }

  /** {@code optax.squared_error(prediction, target).mean()}: the mean over every element. */
  public static Loss meanSquaredError() {
    return squaredError(Reduction.MEAN);
  }

  /** {@code optax.squared_error(prediction, target)} with the given reduction. */
  public static Loss squaredError(Reduction reduction) {
    return new SquaredError(reduction);
  }
}
