package dev.kiln.runtime.data;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Examples for training or evaluation: features {@code [N, ...]} (float32 NHWC for images, int32 token ids for text) and
 * labels {@code [N]} (class ids) or {@code [N, ...]} (targets), row {@code i} of each belonging
 * together. Immutable by convention: nothing in Kiln writes into a dataset's arrays, and
 * {@link #subset} shares them instead of copying.
 */
public final class Dataset {
  private final INDArray features;
  private final INDArray labels;

  /** Fails unless both arrays have the same, non-zero number of rows and are in C order. */
  public Dataset(INDArray features, INDArray labels) {
    if (features.rank() < 1 || labels.rank() < 1) {
      throw new IllegalArgumentException("features and labels need a leading example axis, found shapes "
          + Arrays.toString(features.shape()) + " and " + Arrays.toString(labels.shape()));
    }
    if (features.size(0) != labels.size(0)) {
      throw new IllegalArgumentException("features have " + features.size(0) + " examples "
          + Arrays.toString(features.shape()) + " but labels have " + labels.size(0) + " "
          + Arrays.toString(labels.shape()));
    }
    if (features.size(0) == 0) {
      throw new IllegalArgumentException("a dataset needs at least one example");
    }
    this.features = features.ordering() == 'c' ? features : features.dup('c');
    this.labels = labels.ordering() == 'c' ? labels : labels.dup('c');
  }

  public INDArray features() {
    return features;
  }

  public INDArray labels() {
    return labels;
  }

  /** The number of examples. */
  public int size() {
    return Math.toIntExact(features.size(0));
  }

  /** The shape of one example's features, without the example axis. */
  public long[] exampleShape() {
    return Arrays.copyOfRange(features.shape(), 1, features.rank());
  }

  /** Examples {@code from} (inclusive) to {@code to} (exclusive), as views of this dataset's arrays. */
  public Dataset subset(int from, int to) {
    if (from < 0 || to > size() || from >= to) {
      throw new IndexOutOfBoundsException("subset [" + from + ", " + to + ") of a dataset of " + size()
          + " examples: need 0 <= from < to <= " + size());
    }
    return new Dataset(rows(features, from, to), rows(labels, from, to));
  }

  private static INDArray rows(INDArray a, int from, int to) {
    INDArray view = a.get(NDArrayIndex.interval(from, to));
    // A view of consecutive leading rows of a C-ordered array stays C-contiguous.
    return a.rank() == 1 ? view.reshape(to - from) : view;
  }

  @Override
  public String toString() {
    return "Dataset(" + size() + " examples, features " + Arrays.toString(exampleShape())
        + " " + features.dataType() + ", labels " + Arrays.toString(labels.shape()) + " " + labels.dataType() + ")";
  }
}
