package dev.kiln.spark;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Averaging with {@link BarrierTaskContext#allGather}: every task sends its arrays to the driver, which
 * hands every task all tasks' arrays, and every task sums them in rank order. allGather carries strings,
 * so the bytes travel as Base64 (4/3 of the raw size); per step the driver receives {@code N} messages
 * and sends {@code N x N}. Spark's barrier calls also poll for the driver's answer once a second, so
 * each step waits up to a second (see docs/spark.md).
 */
final class AllGatherGroup implements ReplicaGroup {
  private final BarrierTaskContext context;
  private long rawBytesSent;
  private long wireBytesSent;
  private long exchanges;

  AllGatherGroup(BarrierTaskContext context) {
    this.context = context;
  }

  @Override
  public int replicas() {
    return context.getTaskInfos().length;
  }

  @Override
  public int rank() {
    return context.partitionId();
  }

  @Override
  public void average(List<INDArray> arrays) {
    byte[] raw = LeafCodec.encode(arrays);
    String message = Base64.getEncoder().encodeToString(raw);
    String[] all = context.allGather(message);
    List<byte[]> decoded = new ArrayList<>(all.length);
    for (String m : all) {
      decoded.add(Base64.getDecoder().decode(m));
    }
    LeafCodec.average(decoded, arrays);
    rawBytesSent += raw.length;
    wireBytesSent += message.length();
    exchanges++;
  }

  @Override
  public String[] gather(String text) {
    return context.allGather(text);
  }

  @Override
  public long rawBytesPerExchange() {
    return exchanges == 0 ? 0 : rawBytesSent / exchanges;
  }

  @Override
  public long wireBytesPerExchange() {
    return exchanges == 0 ? 0 : wireBytesSent / exchanges;
  }

  @Override
  public void close() {}
}
