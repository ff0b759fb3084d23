package dev.kiln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class KernelFlipTest {
  @Test
  void flipsSpaceAndSwapsChannels() {
    INDArray src = GradientCheck.randn(1, 3, 2, 4, 5);
    INDArray dst = Nd4j.create(DataType.DOUBLE, 3, 2, 5, 4);
    KernelFlip.apply(src, dst);
    assertFlipped(src, dst);
  }

  /** Scratch slots and parameter leaves are views: offsets and strides are the arrays', not the buffers'. */
  @Test
  void readsAndWritesViews() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray base = GradientCheck.randn(2, 4, 3, 3, 6).castTo(type);
      INDArray src = base.get(NDArrayIndex.interval(1, 4), NDArrayIndex.all(), NDArrayIndex.interval(1, 3),
          NDArrayIndex.interval(0, 2, 6));
      assertTrue(src.offset() > 0, "the source is an offset view");
      INDArray scratch = Nd4j.create(type, 200).assign(-7);
      long[] shape = {3, 3, 3, 2};
      INDArray dst = Nd4j.create(scratch.data(), shape, new long[] {18, 6, 2, 1}, 17, 'c');
      KernelFlip.apply(src, dst);
      assertFlipped(src, dst);
      assertEquals(-7, scratch.getDouble(16), 0, "nothing before the destination is touched");
      assertEquals(-7, scratch.getDouble(17 + 54), 0, "nothing after the destination is touched");
    }
  }

  @Test
  void refusesMismatchedShapesAndTypes() {
    INDArray src = Nd4j.create(DataType.FLOAT, 3, 3, 2, 4);
    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
        () -> KernelFlip.apply(src, Nd4j.create(DataType.FLOAT, 3, 3, 2, 4)));
    assertEquals("flipping kernel [3, 3, 2, 4] needs a destination [3, 3, 4, 2], got [3, 3, 2, 4]", shape.getMessage());
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> KernelFlip.apply(src, Nd4j.create(DataType.DOUBLE, 3, 3, 4, 2)));
    assertEquals("flipping a FLOAT kernel into a DOUBLE array", type.getMessage());
  }

  private static void assertFlipped(INDArray src, INDArray dst) {
    long kh = src.size(0);
    long kw = src.size(1);
    for (long i = 0; i < kh; i++) {
      for (long j = 0; j < kw; j++) {
        for (long a = 0; a < src.size(2); a++) {
          for (long b = 0; b < src.size(3); b++) {
            assertEquals(src.getDouble(kh - 1 - i, kw - 1 - j, a, b), dst.getDouble(i, j, b, a), 0,
                "element " + i + ", " + j + ", " + b + ", " + a);
          }
        }
      }
    }
  }
}
