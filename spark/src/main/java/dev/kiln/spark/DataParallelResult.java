package dev.kiln.spark;

/**
 * The outcome of a data-parallel run.
 *
 * @param params the final parameters (identical on every replica)
 * @param losses the global loss of each step run (the mean of the replicas' local losses), from
 *     {@code startStep}
 * @param startStep 0, or the checkpointed step the run resumed from
 * @param replicas the number of replicas
 * @param globalBatch examples per step over all replicas
 * @param rawBytesPerExchange array bytes each replica sent per averaging
 * @param wireBytesPerExchange bytes each replica put on the wire per averaging
 * @param warmSeconds the slowest replica's step-loop time without its first step
 */
public record DataParallelResult<P extends Record>(
    P params, double[] losses, long startStep, int replicas, int globalBatch, long rawBytesPerExchange,
    long wireBytesPerExchange, double warmSeconds) {
  /** Training examples per second after the first step, over all replicas. */
  public double examplesPerSecond() {
    int warmSteps = losses.length - 1;
    return warmSteps > 0 && warmSeconds > 0 ? warmSteps * (double) globalBatch / warmSeconds : Double.NaN;
  }
}
