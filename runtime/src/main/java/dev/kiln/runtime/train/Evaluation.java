package dev.kiln.runtime.train;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.model.ModelDefinition;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runs a model over many examples a batch at a time, gathering the outputs into one array. Whole
 * datasets do not fit one forward pass (a convolution's activations for 10,000 images take
 * gigabytes), so the training loop's evaluation, the confusion matrix and the {@code predict}
 * command all go through here. Batches are consecutive rows of the inputs, taken as views: nothing
 * is copied on the way in.
 */
public final class Evaluation {
  private Evaluation() {}

  /** The model's outputs for every example of {@code data} in dataset order, e.g. {@code [N, K]} logits. */
  public static <P extends Record> INDArray predictInBatches(ModelDefinition<P> model, P params, Dataset data,
      int batchSize) {
    return predictInBatches(model, params, data.features(), batchSize);
  }

  /** The model's outputs for every row of {@code inputs} ({@code [N, ...]}), in order. */
  public static <P extends Record> INDArray predictInBatches(ModelDefinition<P> model, P params, INDArray inputs,
      int batchSize) {
    return predictInBatches(model.predictor(params), inputs, batchSize, null);
  }

  /**
   * Applies {@code predict} to consecutive row views of {@code inputs} and copies each
   * result into {@code into}, which is allocated on the first batch when null or not shaped for
   * these outputs; returns it. {@code predict} may return a buffer it reuses.
   */
  static INDArray predictInBatches(UnaryOperator<INDArray> predict, INDArray inputs, int batchSize, INDArray into) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, found " + batchSize);
    }
    long n = inputs.size(0);
    for (long from = 0; from < n; from += batchSize) {
      long to = Math.min(n, from + batchSize);
      INDArray out = predict.apply(inputs.get(NDArrayIndex.interval(from, to)));
      if (from == 0) {
        long[] shape = out.shape().clone();
        shape[0] = n;
        if (into == null || !Arrays.equals(into.shape(), shape) || into.dataType() != out.dataType()) {
          into = Nd4j.create(out.dataType(), shape, 'c');
        }
      }
      into.get(NDArrayIndex.interval(from, to)).assign(out);
    }
    return into;
  }
}
