package dev.kiln.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameter-tree leaves as one flat vector or one little-endian byte string, in tree order and each
 * leaf's own precision (float32 or float64). No shapes travel: every replica builds the same model, so
 * the receiver's leaves say how to read the bytes.
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

  /** Whether every leaf is float32 (then float32 is precise enough to carry them). */
  static boolean allFloat(List<INDArray> leaves) {
    return leaves.stream().allMatch(l -> kind(l) == DataType.FLOAT);
  }

  /** All leaves' values, one after another, widened to double. */
  static double[] flatten(List<INDArray> leaves) {
    long total = leaves.stream().mapToLong(INDArray::length).sum();
    double[] out = new double[Math.toIntExact(total)];
    int at = 0;
    for (INDArray leaf : leaves) {
      double[] v = leaf.dup('c').data().asDouble();
      System.arraycopy(v, 0, out, at, v.length);
      at += v.length;
    }
    return out;
  }

  /** Overwrites the leaves with {@code values} (as {@link #flatten} lays them out), in each leaf's type. */
  static void assign(double[] values, List<INDArray> leaves) {
    int at = 0;
    for (INDArray leaf : leaves) {
      int n = Math.toIntExact(leaf.length());
      double[] part = Arrays.copyOfRange(values, at, at + n);
      leaf.assign(Nd4j.createFromArray(part).reshape('c', leaf.shape()).castTo(leaf.dataType()));
      at += n;
    }
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
    double[] sum = new double[Math.toIntExact(leaves.stream().mapToLong(INDArray::length).sum())];
    for (byte[] m : messages) {
      ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
      int at = 0;
      for (INDArray leaf : leaves) {
        boolean isFloat = kind(leaf) == DataType.FLOAT;
        for (long i = 0; i < leaf.length(); i++) {
          sum[at++] += isFloat ? b.getFloat() : b.getDouble();
        }
      }
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= messages.size();
    }
    assign(sum, leaves);
  }

  private static DataType kind(INDArray leaf) {
    DataType t = leaf.dataType();
    if (t != DataType.FLOAT && t != DataType.DOUBLE) {
      throw new IllegalArgumentException("only float32 and float64 parameters can be exchanged, found " + t);
    }
    return t;
  }
}
