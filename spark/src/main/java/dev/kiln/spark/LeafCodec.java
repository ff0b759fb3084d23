package dev.kiln.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameter-tree leaves as one little-endian byte string, in tree order and each leaf's own precision
 * (float32 or float64). No shapes travel: every replica builds the same model, so the receiver's leaves
 * say how to read the bytes.
 */
final class LeafCodec {
  private LeafCodec() {}

  /** The bytes of {@code leaves}, one after another. */
  static byte[] encode(List<INDArray> leaves) {
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(byteSize(leaves))).order(ByteOrder.LITTLE_ENDIAN);
    for (INDArray leaf : leaves) {
      INDArray c = leaf.dup('c');
      switch (kind(leaf)) {
        case FLOAT -> out.asFloatBuffer().put(c.data().asFloat());
        case DOUBLE -> out.asDoubleBuffer().put(c.data().asDouble());
        default -> throw new AssertionError();
      }
      out.position(out.position() + (int) (leaf.length() * leaf.dataType().width()));
    }
    return out.array();
  }

  /** The number of bytes {@link #encode} writes for {@code leaves}. */
  static long byteSize(List<INDArray> leaves) {
    long bytes = 0;
    for (INDArray leaf : leaves) {
      bytes += leaf.length() * kind(leaf).width();
    }
    return bytes;
  }

  /**
   * Overwrites every leaf with the mean of the leaves encoded in {@code messages}, summed in message
   * order in double precision, so every replica that averages the same messages gets the same bits.
   */
  static void average(List<byte[]> messages, List<INDArray> leaves) {
    long expected = byteSize(leaves);
    for (byte[] m : messages) {
      if (m.length != expected) {
        throw new IllegalStateException("a replica sent " + m.length + " bytes of parameters, expected "
            + expected + ": the replicas do not build the same model");
      }
    }
    ByteBuffer[] in = new ByteBuffer[messages.size()];
    for (int r = 0; r < in.length; r++) {
      in[r] = ByteBuffer.wrap(messages.get(r)).order(ByteOrder.LITTLE_ENDIAN);
    }
    for (INDArray leaf : leaves) {
      int n = Math.toIntExact(leaf.length());
      double[] sum = new double[n];
      boolean isFloat = kind(leaf) == DataType.FLOAT;
      for (ByteBuffer b : in) {
        for (int i = 0; i < n; i++) {
          sum[i] += isFloat ? b.getFloat() : b.getDouble();
        }
      }
      for (int i = 0; i < n; i++) {
        sum[i] /= in.length;
      }
      INDArray mean = Nd4j.createFromArray(sum).reshape('c', leaf.shape()).castTo(leaf.dataType());
      leaf.assign(mean);
    }
  }

  private static DataType kind(INDArray leaf) {
    DataType t = leaf.dataType();
    if (t != DataType.FLOAT && t != DataType.DOUBLE) {
      throw new IllegalArgumentException("only float32 and float64 parameters can be exchanged, found " + t);
    }
    return t;
  }
}
