package dev.kiln.spark;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Averaging across the tasks of a barrier stage with {@link BarrierTaskContext#allGather}: every task
 * sends its arrays to the driver, which hands every task all tasks' arrays. allGather carries strings,
 * so the bytes travel as Base64 (4/3 of the raw size). Per step the driver receives {@code N} messages
 * and sends {@code N x N}: simple and exact, but the driver's link carries everything (see docs/spark.md).
 */
final class AllGatherExchange {
  private final BarrierTaskContext context;
  private long rawBytesSent;
  private long messageBytesSent;
  private long exchanges;

  AllGatherExchange(BarrierTaskContext context) {
    this.context = context;
  }

  /** The number of replicas (tasks in the barrier stage). */
  int replicas() {
    return context.getTaskInfos().length;
  }

  /** This replica's rank, 0 to {@code replicas() - 1}. */
  int rank() {
    return context.partitionId();
  }

  /** Replaces every array with its mean over all replicas; afterwards every replica holds the same bits. */
  void average(List<INDArray> arrays) {
    byte[] raw = LeafCodec.encode(arrays);
    String message = Base64.getEncoder().encodeToString(raw);
    String[] all = context.allGather(message);
    List<byte[]> decoded = new ArrayList<>(all.length);
    for (String m : all) {
      decoded.add(Base64.getDecoder().decode(m));
    }
    LeafCodec.average(decoded, arrays);
    rawBytesSent += raw.length;
    messageBytesSent += message.length();
    exchanges++;
  }

  /** Every replica's {@code text}, in rank order (small agreements: which checkpoint, which hash). */
  String[] gather(String text) {
    return context.allGather(text);
  }

  /** Raw array bytes this replica sent per exchange (before Base64). */
  long rawBytesPerExchange() {
    return exchanges == 0 ? 0 : rawBytesSent / exchanges;
  }

  /** Bytes this replica put on the wire per exchange (the Base64 message). */
  long messageBytesPerExchange() {
    return exchanges == 0 ? 0 : messageBytesSent / exchanges;
  }
}
