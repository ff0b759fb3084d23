package dev.kiln.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A child process measuring the machine's practical float32 peak: repeated large sgemm
 * ({@code Nd4j.gemm}, 2048x2048 by 2048x2048) for a few seconds, reported as a {@link Measurement}
 * whose steps are multiplications of {@link #FLOPS} each.
 */
final class PeakGflops {
  private static final int N = 2048;
  /** Floating-point operations in one multiplication. */
  static final double FLOPS = 2.0 * N * N * N;

  private PeakGflops() {}

  public static void main(String[] args) {
    double seconds = Double.parseDouble(args[0]);
    INDArray a = Nd4j.rand(DataType.FLOAT, N, N);
    INDArray b = Nd4j.rand(DataType.FLOAT, N, N);
    INDArray c = Nd4j.create(DataType.FLOAT, N, N);
    for (int i = 0; i < 3; i++) {
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }
    System.out.println(Measurement.FIRST_STEP);
    long start = System.nanoTime();
    long count = 0;
    long elapsed;
    do {
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
      count++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < seconds * 1e9);
    System.out.println(new Measurement(count, elapsed / 1e9, 1, PeakMemory.kilobytes()).toLine());
  }
}
