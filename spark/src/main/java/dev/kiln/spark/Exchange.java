package dev.kiln.spark;

/**
 * How replicas average their arrays each step. Both give every replica the same bits and the mean of
 * the replicas' arrays; they differ in who carries the bytes.
 */
public enum Exchange {
  /**
   * A ring of direct TCP connections between the tasks (addresses agreed once through the barrier):
   * reduce-scatter then all-gather in {@code 2(N-1)} rounds, each replica sending {@code 2(N-1)/N} of the
   * parameter bytes per step, independent of {@code N}; the driver carries nothing. Needs the executors
   * to reach each other on ephemeral ports.
   */
  RING,
  /**
   * Spark's own {@code BarrierTaskContext.allGather}: every array goes through the driver, which sends
   * each replica all {@code N} arrays (Base64 text). No extra ports, but the driver's traffic grows as
   * {@code N^2} and Spark polls for each answer once a second, so every step waits up to a second.
   */
  ALL_GATHER
}
