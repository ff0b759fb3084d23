package dev.kiln.runtime.train;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A figure of merit computed over a whole evaluation set, from the model's predictions for every
 * example and the dataset's labels (rows aligned). Higher or lower being better is the metric's own
 * business; the training loop only records it per epoch under {@link #name()}.
 */
public interface Metric {
  /** The name it is recorded and plotted under, e.g. {@code accuracy}. */
  String name();

  /** The metric over all examples: {@code predictions [N, ...]} against {@code labels [N, ...]}. */
  double compute(INDArray predictions, INDArray labels);
}
