package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NonFiniteTest {
  @Test
  void findsNanAndBothInfinitiesInEitherPrecision() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      assertTrue(NonFinite.isFinite(Nd4j.rand(type, 3, 4).subi(0.5).muli(1e30)));
      for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
        var a = Nd4j.zeros(type, 3, 4);
        a.putScalar(new long[] {2, 3}, bad);
        assertFalse(NonFinite.isFinite(a), type + " holding " + bad);
        assertFalse(NonFinite.isFinite(a.get(NDArrayIndex.point(2))), "a view holding " + bad);
      }
    }
    assertTrue(NonFinite.isFinite(Nd4j.createFromArray(1, 2, 3)), "integer arrays are finite");
  }
}
