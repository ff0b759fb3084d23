package dev.kiln.spark;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * How a Spark task builds something that cannot travel itself (a generated model, a loss, an
 * optimizer): a serializable recipe, such as the lambda {@code () -> Optax.adam(1e-3)}, run once on
 * every executor.
 */
@FunctionalInterface
public interface Factory<T> extends Supplier<T>, Serializable {}
