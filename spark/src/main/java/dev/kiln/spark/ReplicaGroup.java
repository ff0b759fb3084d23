package dev.kiln.spark;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The replicas of a run as one of them sees them: who it is, and how they average and agree. */
interface ReplicaGroup extends AutoCloseable {
  /** The number of replicas (tasks in the barrier stage). */
  int replicas();

  /** This replica's rank, 0 to {@code replicas() - 1}. */
  int rank();

  /** Replaces every array with its mean over all replicas; afterwards every replica holds the same bits. */
  void average(List<INDArray> arrays);

  /** Every replica's {@code text}, in rank order (small agreements: which checkpoint, which hash). */
  String[] gather(String text);

  /** Array bytes this replica sent per {@link #average}, before any encoding. */
  long rawBytesPerExchange();

  /** Bytes this replica put on the wire per {@link #average}. */
  long wireBytesPerExchange();

  @Override
  void close();
}
