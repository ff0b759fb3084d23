package dev.kiln.examples;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a classifier sees a set of images, as a figure of a generator's sample quality: the share it
 * classifies with probability at least {@link #CONFIDENT} (recognisable images), and the entropy of
 * the histogram of its predicted classes (diversity: log2(10) = 3.32 bits when every class is
 * equally common, 0 when all images look like one class).
 *
 * @param confidentShare share of images whose most probable class has probability >= 0.9
 * @param classEntropyBits entropy of the predicted-class histogram, in bits
 * @param histogram how many images were predicted as each class
 */
record SampleQuality(double confidentShare, double classEntropyBits, long[] histogram) {
  static final double CONFIDENT = 0.9;

  /** The figures of class probabilities {@code [N, classes]}, each row summing to 1. */
  static SampleQuality of(INDArray probabilities) {
    double[][] rows = probabilities.castTo(DataType.DOUBLE).toDoubleMatrix();
    long[] histogram = new long[rows[0].length];
    int confident = 0;
    for (double[] row : rows) {
      int best = 0;
      for (int c = 1; c < row.length; c++) {
        if (row[c] > row[best]) {
          best = c;
        }
      }
      histogram[best]++;
      if (row[best] >= CONFIDENT) {
        confident++;
      }
    }
    double entropy = 0;
    for (long count : histogram) {
      if (count > 0) {
        double p = (double) count / rows.length;
        entropy -= p * Math.log(p) / Math.log(2);
      }
    }
    return new SampleQuality((double) confident / rows.length, entropy, histogram);
  }
}
