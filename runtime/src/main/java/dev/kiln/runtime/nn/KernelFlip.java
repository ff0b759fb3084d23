package dev.kiln.runtime.nn;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A convolution kernel {@code [kH, kW, a, b]} flipped in both spatial axes with its channel axes
 * swapped, {@code dst[i, j, b, a] = src[kH-1-i, kW-1-j, a, b]}: the kernel a transposed convolution
 * hands to the convolution that computes it.
 *
 * <p>Copied in Java straight between the two buffers. libnd4j's {@code reverse} op does the same in
 * about 3 ms on a 3x3x64x32 kernel and keeps about 400 KB of native memory per call (1.0.0-M2.1),
 * which grew a W3c training process by 1.3 MB per step.
 */
final class KernelFlip {
  private KernelFlip() {}

  /** Either array may be a strided view; both must be float32 or both float64. */
  static void apply(INDArray src, INDArray dst) {
    long[] shape = src.shape();
    if (src.rank() != 4 || dst.rank() != 4 || dst.size(0) != shape[0] || dst.size(1) != shape[1]
        || dst.size(2) != shape[3] || dst.size(3) != shape[2]) {
      throw new IllegalArgumentException("flipping kernel " + Arrays.toString(shape) + " needs a destination ["
          + shape[0] + ", " + shape[1] + ", " + shape[3] + ", " + shape[2] + "], got " + Arrays.toString(dst.shape()));
    }
    DataType type = src.dataType();
    if (dst.dataType() != type) {
      throw new IllegalArgumentException("flipping a " + type + " kernel into a " + dst.dataType() + " array");
    }
    Copy copy = switch (type) {
      case FLOAT -> {
        FloatBuffer from = floats(src);
        FloatBuffer to = floats(dst);
        yield (d, s) -> to.put(d, from.get(s));
      }
      case DOUBLE -> {
        DoubleBuffer from = doubles(src);
        DoubleBuffer to = doubles(dst);
        yield (d, s) -> to.put(d, from.get(s));
      }
      default -> throw new IllegalArgumentException("kernels are FLOAT or DOUBLE, got " + type);
    };
    long[] ss = src.stride();
    long[] ds = dst.stride();
    long kh = shape[0];
    long kw = shape[1];
    for (long i = 0; i < kh; i++) {
      for (long j = 0; j < kw; j++) {
        long sBase = src.offset() + (kh - 1 - i) * ss[0] + (kw - 1 - j) * ss[1];
        long dBase = dst.offset() + i * ds[0] + j * ds[1];
        for (long a = 0; a < shape[2]; a++) {
          for (long b = 0; b < shape[3]; b++) {
            copy.element(Math.toIntExact(dBase + b * ds[2] + a * ds[3]), Math.toIntExact(sBase + a * ss[2] + b * ss[3]));
          }
        }
      }
    }
  }

  /** Copies element {@code s} of the source buffer to element {@code d} of the destination buffer. */
  private interface Copy {
    void element(int d, int s);
  }

  private static FloatBuffer floats(INDArray a) {
    return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  private static DoubleBuffer doubles(INDArray a) {
    return a.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
  }
}
