package dev.kiln.runtime.data;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One batch: features {@code [B, ...]} and labels {@code [B]} or {@code [B, ...]}. The arrays are
 * buffers that {@link Batches} refills for the next batch of the same size, so a consumer that
 * keeps a batch past the next {@code next()} must copy it.
 */
public record Batch(INDArray features, INDArray labels) {
  /** The number of examples in this batch. */
  public int size() {
    return Math.toIntExact(features.size(0));
  }
}
