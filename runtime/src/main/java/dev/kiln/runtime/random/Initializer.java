package dev.kiln.runtime.random;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A parameter initialiser, the Java form of {@code jax.nn.initializers} functions
 * {@code init(key, shape, dtype)} (dtype is always float32 here).
 */
@FunctionalInterface
public interface Initializer {
  /** A new float32 array of {@code shape} drawn with {@code key} (row-major). */
  INDArray init(PRNGKey key, long... shape);
}
