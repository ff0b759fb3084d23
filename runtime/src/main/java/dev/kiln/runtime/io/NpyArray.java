package dev.kiln.runtime.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One array as stored in a {@code .npy} file: its NumPy dtype ({@code f4}, {@code f8}, {@code i4},
 * {@code i8}, {@code u4}, {@code u1}, {@code b1}), its shape and its little-endian row-major bytes.
 */
public record NpyArray(NpyDtype dtype, long[] shape, ByteBuffer data) {

  public NpyArray {
    long expected = NpyDtype.elementCount(shape) * dtype.size();
    if (data.remaining() != expected) {
      throw new IllegalArgumentException("array of dtype " + dtype.code() + " and shape "
          + Arrays.toString(shape) + " needs " + expected + " bytes, found " + data.remaining());
    }
    data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  public long size() {
    return NpyDtype.elementCount(shape);
  }

  /** The values as float32; integer dtypes are converted, float64 is rounded. */
  public float[] toFloats() {
    float[] out = new float[Math.toIntExact(size())];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) doubleAt(i);
    }
    return out;
  }

  /** The values as float64. */
  public double[] toDoubles() {
    double[] out = new double[Math.toIntExact(size())];
    for (int i = 0; i < out.length; i++) {
      out[i] = doubleAt(i);
    }
    return out;
  }

  /** The values as 32-bit integers; {@code u4} keeps its bit pattern (read with {@code >>>}). */
  public int[] toInts() {
    int[] out = new int[Math.toIntExact(size())];
    for (int i = 0; i < out.length; i++) {
      out[i] = switch (dtype) {
        case INT32, UINT32 -> data.getInt(i * 4);
        case INT64 -> Math.toIntExact(data.getLong(i * 8));
        case UINT8 -> data.get(i) & 0xFF;
        case BOOL -> data.get(i) != 0 ? 1 : 0;
        case FLOAT32, FLOAT64 -> throw new IllegalStateException(
            "expected an integer array, found dtype " + dtype.code());
      };
    }
    return out;
  }

  /** An ND4J array of the matching data type (uint32 becomes int64 so no value changes sign). */
  public INDArray toINDArray() {
    long[] s = shape.length == 0 ? new long[0] : shape;
    return switch (dtype) {
      case FLOAT32 -> Nd4j.create(toFloats(), s, 'c');
      case FLOAT64 -> Nd4j.create(toDoubles(), s, 'c');
      case INT32 -> Nd4j.createFromArray(toInts()).reshape(s).castTo(DataType.INT32);
      case INT64, UINT32 -> {
        long[] v = new long[Math.toIntExact(size())];
        for (int i = 0; i < v.length; i++) {
          v[i] = dtype == NpyDtype.INT64 ? data.getLong(i * 8) : Integer.toUnsignedLong(data.getInt(i * 4));
        }
        yield Nd4j.createFromArray(v).reshape(s);
      }
      case UINT8 -> Nd4j.createFromArray(toInts()).reshape(s).castTo(DataType.UINT8);
      case BOOL -> Nd4j.createFromArray(toInts()).reshape(s).castTo(DataType.BOOL);
    };
  }

  /** Wraps an ND4J array (float32, float64, int32, int64, uint8 or bool). */
  public static NpyArray of(INDArray array) {
    NpyDtype dtype = NpyDtype.of(array.dataType());
    INDArray c = array.dup('c');
    long n = c.length();
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(n * dtype.size())).order(ByteOrder.LITTLE_ENDIAN);
    for (long i = 0; i < n; i++) {
      switch (dtype) {
        case FLOAT32 -> buf.putFloat(c.getFloat(i));
        case FLOAT64 -> buf.putDouble(c.getDouble(i));
        case INT32 -> buf.putInt(c.getInt(Math.toIntExact(i)));
        case INT64 -> buf.putLong(c.getLong(i));
        case UINT8, BOOL -> buf.put((byte) c.getInt(Math.toIntExact(i)));
        case UINT32 -> throw new IllegalStateException("ND4J arrays are never uint32 here");
      }
    }
    buf.flip();
    return new NpyArray(dtype, array.shape().clone(), buf);
  }

  private double doubleAt(int i) {
    return switch (dtype) {
      case FLOAT32 -> data.getFloat(i * 4);
      case FLOAT64 -> data.getDouble(i * 8);
      case INT32 -> data.getInt(i * 4);
      case UINT32 -> Integer.toUnsignedLong(data.getInt(i * 4));
      case INT64 -> data.getLong(i * 8);
      case UINT8 -> data.get(i) & 0xFF;
      case BOOL -> data.get(i) != 0 ? 1 : 0;
    };
  }
}
