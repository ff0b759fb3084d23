package dev.kiln.spark;

import java.io.Serializable;

/**
 * What one replica hands the driver after its last step.
 *
 * @param rank the replica (partition) index
 * @param startStep the step the replica began at (0, or the checkpoint it resumed from)
 * @param losses the local loss of each step it ran
 * @param variables the final variables encoded by {@link LeafCodec} (replica 0 only, null elsewhere)
 * @param rawBytesPerExchange array bytes the replica sent per averaging
 * @param wireBytesPerExchange bytes the replica put on the wire per averaging
 * @param seconds time spent in the step loop
 * @param warmSeconds the same without the first step (buffer allocation, first native calls)
 */
record ReplicaReport(
    int rank, long startStep, double[] losses, byte[] variables, long rawBytesPerExchange,
    long wireBytesPerExchange, double seconds, double warmSeconds) implements Serializable {}
