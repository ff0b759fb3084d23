package dev.kiln.runtime.nn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convolution that copies every element of each input patch into its own output channel (im2col
 * as a convolution): kernel {@code [kh, kw, C, kh*kw*C + 1]} with one 1 per input position, element
 * {@code (a, b, c)} going to channel {@code (a*kw + b)*C + c}, and a bias that is 1 in the last
 * channel only. One native convolution then lays out the patches of a whole batch as the rows of a
 * matrix, with a column of ones after them, in the layout a convolution's weight gradient
 * multiplies. The arrays are constants, made once per shape and type.
 */
final class PatchSelector {
  private static final Map<String, INDArray[]> CACHE = new ConcurrentHashMap<>();

  private PatchSelector() {}

  /** {@code [kernel, bias]} for kernel positions {@code kh x kw} over {@code channels} input channels. */
  static INDArray[] of(long kh, long kw, long channels, DataType type) {
    return CACHE.computeIfAbsent(kh + "x" + kw + "x" + channels + " " + type, k -> build(kh, kw, channels, type));
  }

  /** The number of channels it writes: one per patch element, plus the ones column. */
  static long columns(long kh, long kw, long channels) {
    return kh * kw * channels + 1;
  }

  private static INDArray[] build(long kh, long kw, long channels, DataType type) {
    long columns = columns(kh, kw, channels);
    INDArray kernel = Nd4j.create(type, kh, kw, channels, columns);
    for (long a = 0; a < kh; a++) {
      for (long b = 0; b < kw; b++) {
        for (long c = 0; c < channels; c++) {
          kernel.putScalar(new long[] {a, b, c, (a * kw + b) * channels + c}, 1);
        }
      }
    }
    INDArray bias = Nd4j.create(type, columns);
    bias.putScalar(columns - 1, 1);
    return new INDArray[] {kernel, bias};
  }
}
