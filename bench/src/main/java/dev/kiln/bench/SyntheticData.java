package dev.kiln.bench;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Random batches of the workloads' shapes, the same for every Java framework (a fixed seed).
 * Throughput does not depend on the values, so no data set is downloaded.
 */
final class SyntheticData {
  /** Distinct batches cycled through, so that no step sees exactly the previous step's input. */
  static final int BATCHES = 4;

  private final Random random = new Random(0);

  /** Images {@code [batch, 28, 28, 1]} (NHWC) with values in {@code [lo, hi)}. */
  INDArray images(int batch, float lo, float hi) {
    float[] values = new float[batch * 784];
    for (int i = 0; i < values.length; i++) {
      values[i] = lo + (hi - lo) * random.nextFloat();
    }
    return Nd4j.createFromArray(values).reshape('c', batch, 28, 28, 1);
  }

  /** Class ids {@code [batch]} in {@code [0, classes)}, int32. */
  INDArray labels(int batch, int classes) {
    int[] ids = new int[batch];
    for (int i = 0; i < batch; i++) {
      ids[i] = random.nextInt(classes);
    }
    return Nd4j.createFromArray(ids);
  }

  /**
   * Token ids {@code [batch, length]}, int32: each row a sentence of 4 to {@code length} ids in
   * {@code [2, vocabulary)} followed by padding (0), as W2's encoded sentences look.
   */
  INDArray tokens(int batch, int length, int vocabulary) {
    int[] ids = new int[batch * length];
    for (int row = 0; row < batch; row++) {
      int real = 4 + random.nextInt(length - 3);
      for (int t = 0; t < real; t++) {
        ids[row * length + t] = 2 + random.nextInt(vocabulary - 2);
      }
    }
    return Nd4j.createFromArray(ids).reshape('c', batch, length);
  }

  /** Standard normal values {@code [rows, columns]}. */
  INDArray normal(int rows, int columns) {
    float[] values = new float[rows * columns];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return Nd4j.createFromArray(values).reshape('c', rows, columns);
  }
}
