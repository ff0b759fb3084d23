package dev.kiln.runtime.train;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The standard metrics. */
public final class Metrics {
  private Metrics() {}

  /**
   * Classification accuracy: the fraction of examples whose highest-scoring class (argmax over the
   * last axis of {@code [N, classes]} logits or probabilities) equals the class id in {@code [N]}.
   */
  public static Metric accuracy() {
    return new Metric() {
      @Override
      public String name() {
        return "accuracy";
      }

      @Override
      public double compute(INDArray predictions, INDArray labels) {
        if (predictions.rank() != 2 || labels.length() != predictions.size(0)) {
          throw new IllegalArgumentException("accuracy needs predictions [N, classes] and class ids [N], found "
              + Arrays.toString(predictions.shape()) + " and " + Arrays.toString(labels.shape()));
        }
        INDArray predicted = predictions.argMax(1).castTo(DataType.INT64);
        INDArray expected = labels.reshape(labels.length()).castTo(DataType.INT64);
        long correct = predicted.eq(expected).castTo(DataType.INT64).sumNumber().longValue();
        return (double) correct / predictions.size(0);
      }

      @Override
      public String toString() {
        return "accuracy";
      }
    };
  }
}
