package dev.kiln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ReshapesTest {
  /** A sequence of one step, [B, 1, E], is a matrix too; writes into the view land in the array. */
  @Test
  void viewsArraysWithAxesOfSizeOne() {
    for (long[] shape : new long[][] {{3, 1, 4}, {1, 3, 4}, {2, 1, 1, 4}}) {
      INDArray a = Nd4j.create(DataType.FLOAT, shape);
      INDArray m = Reshapes.asMatrix(a, 4, "a");
      assertArrayEquals(new long[] {a.length() / 4, 4}, m.shape());
      m.putScalar(m.length() - 1, 5.0);
      assertEquals(5.0, a.getDouble(a.length() - 1), 0.0);
    }
  }

  @Test
  void rejectsArraysThatAreNotContiguousInCOrder() {
    INDArray permuted = Nd4j.create(DataType.FLOAT, 2, 3, 4).permute(1, 0, 2);
    assertThrows(IllegalArgumentException.class, () -> Reshapes.asMatrix(permuted, 4, "a"));
    INDArray fOrder = Nd4j.create(DataType.FLOAT, new long[] {2, 3, 4}, 'f');
    assertThrows(IllegalArgumentException.class, () -> Reshapes.asMatrix(fOrder, 4, "a"));
  }
}
