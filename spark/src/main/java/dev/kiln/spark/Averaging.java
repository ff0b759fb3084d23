package dev.kiln.spark;

import java.io.Serializable;

/**
 * How replicas are kept together.
 *
 * <p>{@link #gradients()}: gradients are averaged across replicas every step and every replica applies
 * the same optimizer update, so the replicas stay identical and the run equals single-process training
 * on the global batch (all replicas' local batches together). Each step moves one parameter-sized
 * message per replica.
 *
 * <p>{@link #parameters(int)}: replicas train alone ("local SGD") and average their parameters every
 * {@code k} steps. Communication falls by a factor of {@code k}, but between averages the replicas
 * drift apart, the run is no longer the large-batch run (it converges more noisily and, for large
 * {@code k} or large learning rates, to worse points), and each replica's optimizer state (Adam's
 * moments) stays its own.
 */
public record Averaging(int every, boolean ofParameters) implements Serializable {
  public Averaging {
    if (every < 1) {
      throw new IllegalArgumentException("averaging interval must be at least 1 step, found " + every);
    }
    if (!ofParameters && every != 1) {
      throw new IllegalArgumentException("gradients are averaged every step, found every " + every);
    }
  }

  /** Synchronous data parallelism: gradients averaged every step. */
  public static Averaging gradients() {
    return new Averaging(1, false);
  }

  /** Parameters averaged every {@code k} steps, optimizer state kept per replica. */
  public static Averaging parameters(int k) {
    return new Averaging(k, true);
  }

  @Override
  public String toString() {
    return ofParameters ? "parameters every " + every + " steps" : "gradients every step";
  }
}
