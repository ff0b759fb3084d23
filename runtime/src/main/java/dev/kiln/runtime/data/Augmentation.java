package dev.kiln.runtime.data;

import dev.kiln.runtime.random.PRNGKey;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A random change to a batch of training examples, made in place on the buffer {@link Batches}
 * has just filled (see {@link Batches#augment}). In place because that buffer is reused for every
 * batch: augmenting it costs no array allocation per step, and the dataset itself is never touched.
 * The key is the batch's own, derived from the shuffling key, so an augmented run is as
 * reproducible as an unaugmented one. Ready-made augmentations are in {@link Augmentations}.
 */
@FunctionalInterface
public interface Augmentation {
  /** Changes {@code batchFeatures} ({@code [B, ...]}) in place, drawing randomness only from {@code key}. */
  void apply(INDArray batchFeatures, PRNGKey key);
}
