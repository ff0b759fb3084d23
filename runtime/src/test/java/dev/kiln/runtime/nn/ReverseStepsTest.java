package dev.kiln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ReverseStepsTest {
  /** x[b, t, f] = 100 b + 10 t + f, B = 3, T = 4, F = 2. */
  private static INDArray numbered(DataType type) {
    INDArray x = Nd4j.create(type, 3, 4, 2);
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < 4; t++) {
        for (int f = 0; f < 2; f++) {
          x.putScalar(new long[] {b, t, f}, 100 * b + 10 * t + f);
        }
      }
    }
    return x;
  }

  /** The source step of each output step, read back from the numbering. */
  private static int[][] sources(INDArray out) {
    int[][] s = new int[3][4];
    for (int b = 0; b < 3; b++) {
      for (int t = 0; t < 4; t++) {
        double v = out.getDouble(b, t, 0);
        assertEquals(100 * b, 100 * Math.floor(v / 100), "row " + b + " stays in its row");
        assertEquals(v + 1, out.getDouble(b, t, 1), 0.0, "features move together");
        s[b][t] = (int) ((v - 100 * b) / 10);
      }
    }
    return s;
  }

  /** Flax's flip_sequences: [1,0,0],[3,2,0],[6,5,4] for lengths 1,2,3 and the padding reversed too. */
  @Test
  void reversesWithinTheLengthsAsFlaxFlipSequences() {
    INDArray x = numbered(DataType.FLOAT);
    INDArray out = Nd4j.valueArrayOf(new long[] {3, 4, 2}, Double.NaN, DataType.FLOAT);
    ReverseSteps.reverse(x, Nd4j.createFromArray(4, 1, 0), out);
    // row 0: all real; row 1: L = 1, padding 1..3 reversed; row 2: L = 0, all padding reversed
    assertArrayEquals(new int[][] {{3, 2, 1, 0}, {0, 3, 2, 1}, {3, 2, 1, 0}}, sources(out));
    ReverseSteps.reverse(x, Nd4j.createFromArray(2.0, 3.0, 4.0), out);
    assertArrayEquals(new int[][] {{1, 0, 3, 2}, {2, 1, 0, 3}, {3, 2, 1, 0}}, sources(out));
    ReverseSteps.reverse(x, null, out);
    assertArrayEquals(new int[][] {{3, 2, 1, 0}, {3, 2, 1, 0}, {3, 2, 1, 0}}, sources(out));
  }

  @Test
  void isItsOwnInverseOnOffsetViews() {
    INDArray x = numbered(DataType.DOUBLE);
    INDArray lengths = Nd4j.createFromArray(3L, 1L, 4L);
    INDArray arena = Nd4j.valueArrayOf(new long[] {60}, 7.0, DataType.DOUBLE);
    INDArray once = arena.get(interval(2, 26)).reshape('c', true, 3, 4, 2);
    INDArray twice = arena.get(interval(30, 54)).reshape('c', true, 3, 4, 2);
    ReverseSteps.reverse(x, lengths, once);
    assertArrayEquals(new int[][] {{2, 1, 0, 3}, {0, 3, 2, 1}, {3, 2, 1, 0}}, sources(once));
    ReverseSteps.reverse(once, lengths, twice);
    assertEquals(x, twice);
    assertEquals(7.0, arena.getDouble(1), 0.0);
    assertEquals(7.0, arena.getDouble(26), 0.0);
    assertEquals(7.0, arena.getDouble(54), 0.0);
  }

  @Test
  void rejectsBadArguments() {
    INDArray x = numbered(DataType.DOUBLE);
    INDArray out = Nd4j.create(DataType.DOUBLE, 3, 4, 2);
    assertThrows(IllegalArgumentException.class, () -> ReverseSteps.reverse(x, null, x));
    assertThrows(IllegalArgumentException.class, () -> ReverseSteps.reverse(x, Nd4j.createFromArray(5, 1, 1), out));
    assertThrows(IllegalArgumentException.class, () -> ReverseSteps.reverse(x, Nd4j.createFromArray(1, 1), out));
    assertThrows(IllegalArgumentException.class,
        () -> ReverseSteps.reverse(x, null, Nd4j.create(DataType.FLOAT, 3, 4, 2)));
    assertThrows(IllegalArgumentException.class,
        () -> ReverseSteps.reverse(x, null, Nd4j.create(DataType.DOUBLE, 3, 4, 3)));
  }
}
