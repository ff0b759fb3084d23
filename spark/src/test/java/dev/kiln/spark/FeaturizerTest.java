package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class FeaturizerTest {
  private static final long[] IMAGE = {2, 2, 1};

  @Test
  void floatArraysBecomeAFloatBatchOfTheModelsShape() {
    INDArray batch = Featurizer.numbers().batch(List.of(List.of(1f, 2f, 3f, 4f), List.of(5.0, 6.0, 7.0, 8.0)), IMAGE);
    assertArrayEquals(new long[] {2, 2, 2, 1}, batch.shape());
    assertEquals(DataType.FLOAT, batch.dataType());
    assertEquals(7f, batch.getFloat(1, 1, 0, 0));
  }

  @Test
  void bytesArePixelsScaledToTheUnitInterval() {
    INDArray batch = Featurizer.numbers().batch(List.of(new byte[] {0, (byte) 255, (byte) 128, 1}), IMAGE);
    assertEquals(1f, batch.getFloat(0, 0, 1, 0));
    assertEquals(128 / 255f, batch.getFloat(0, 1, 0, 0));
  }

  @Test
  void integerArraysAreTokenIdsAndFillASymbolicLength() {
    INDArray batch = Featurizer.numbers().batch(List.of(List.of(3, 4, 5), List.of(6L, 7L, 8L)), new long[] {-1});
    assertEquals(DataType.INT32, batch.dataType());
    assertArrayEquals(new long[] {2, 3}, batch.shape());
  }

  @Test
  void rowsOfTheWrongSizeAreRejectedSayingWhatWasExpected() {
    var ragged = assertThrows(IllegalArgumentException.class,
        () -> Featurizer.numbers().batch(List.of(List.of(1f, 2f, 3f, 4f), List.of(1f, 2f)), IMAGE));
    assertEquals("row 1 holds 2 values, row 0 holds 4: every example must have the same size", ragged.getMessage());
    var wrong = assertThrows(IllegalArgumentException.class,
        () -> Featurizer.numbers().batch(List.of(List.of(1f, 2f, 3f)), IMAGE));
    assertEquals("the model expects examples shaped [2, 2, 1] (4 values), a row holds 3", wrong.getMessage());
    var text = assertThrows(IllegalArgumentException.class,
        () -> Featurizer.numbers().batch(List.of("a review"), IMAGE));
    assertEquals("expected an array<float>, array<int> or binary column, found String", text.getMessage());
  }
}
