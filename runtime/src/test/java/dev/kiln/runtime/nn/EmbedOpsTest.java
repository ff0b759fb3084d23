package dev.kiln.runtime.nn;

import static dev.kiln.runtime.nn.ParityAssertions.GRAD_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.OUTPUT_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.runtime.testing.GradientCheck;
import dev.kiln.runtime.testing.Parity;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EmbedOpsTest {
  private static final Parity P = Parity.ops();

  /** nn.Embed(11, 6) on int32 ids [2, 5] that repeat id 6 three times and end row 1 with padding. */
  @Test
  void matchesFlaxEmbed() {
    INDArray ids = P.get("embed/x");
    assertEquals(DataType.INT, ids.dataType());
    EmbedParams params = new EmbedParams(P.get("embed/params/embedding"));
    INDArray y = Nd4j.valueArrayOf(new long[] {2, 5, 6}, Double.NaN, DataType.FLOAT);
    INDArray lengths = Nd4j.valueArrayOf(new long[] {2}, 99, DataType.INT);
    EmbedOps.forward(ids, params, y, lengths);
    assertClose("y", P.get("embed/y"), y, OUTPUT_TOL);
    assertArrayEquals(new int[] {5, 4}, lengths.toIntVector());

    EmbedParams grads = new EmbedParams(Nd4j.valueArrayOf(new long[] {11, 6}, Double.NaN, DataType.FLOAT));
    EmbedOps.backward(ids, P.get("embed/ct"), grads);
    assertClose("grad/embedding", P.get("embed/grad/embedding"), grads.embedding(), GRAD_TOL);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    // float ids holding integers, with repeats and padding
    INDArray ids = Nd4j.createFromArray(new double[][] {{3, 1, 3, 0}, {4, 4, 4, 2}, {0, 1, 2, 0}});
    GradientCheck.of(Map.of("embedding", GradientCheck.randn(31, 6, 5)))
        .check(
            p -> {
              INDArray y = Nd4j.create(DataType.DOUBLE, 3, 4, 5);
              EmbedOps.forward(ids, p.get("embedding"), y, null);
              return y;
            },
            (p, ct) -> {
              INDArray dE = Nd4j.valueArrayOf(new long[] {6, 5}, 7.0, DataType.DOUBLE);
              EmbedOps.backward(ids, ct, dE);
              return Map.of("embedding", dE);
            });
  }

  /** Many repeats of few ids in a large batch: the scatter-add must neither race nor lose updates. */
  @Test
  void backwardAddsUpRepeatedIdsAndOverwritesTheGivenArray() {
    int b = 64;
    int t = 32;
    int f = 16;
    Random r = new Random(5);
    long[][] ids = new long[b][t];
    for (long[] row : ids) {
      for (int j = 0; j < t; j++) {
        row[j] = r.nextInt(3);
      }
    }
    INDArray idArray = Nd4j.createFromArray(ids);
    INDArray dOut = GradientCheck.randn(32, b, t, f).castTo(DataType.FLOAT);
    INDArray dE = Nd4j.valueArrayOf(new long[] {5, f}, 7.0, DataType.FLOAT);
    INDArray before = dE;
    EmbedOps.backward(idArray, dOut, dE);
    assertSame(before, dE);

    double[][] expected = new double[5][f];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        for (int k = 0; k < f; k++) {
          expected[(int) ids[i][j]][k] += dOut.getDouble(i, j, k);
        }
      }
    }
    assertClose("dEmbedding", Nd4j.createFromArray(expected), dE, 1e-6);
  }

  @Test
  void lengthsCountTheTokensThatAreNotPadding() {
    INDArray ids = Nd4j.createFromArray(new long[][] {{5, 2, 0, 0}, {1, 1, 1, 1}, {0, 0, 0, 0}});
    INDArray lengths = Nd4j.create(DataType.FLOAT, 3);
    EmbedOps.forward(ids, GradientCheck.randn(33, 6, 2), Nd4j.create(DataType.DOUBLE, 3, 4, 2), lengths);
    assertArrayEquals(new float[] {2, 4, 0}, lengths.toFloatVector());
  }

  @Test
  void anIdOutsideTheVocabularyIsAnErrorThatSaysWhere() {
    long[][] ids = new long[4][8];
    ids[3][7] = 12000;
    INDArray embedding = Nd4j.create(DataType.FLOAT, 10000, 2);
    INDArray out = Nd4j.create(DataType.FLOAT, 4, 8, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmbedOps.forward(Nd4j.createFromArray(ids), embedding, out, null));
    assertEquals("token id 12000 at [3, 7] is past the vocabulary of 10000 ids", e.getMessage());

    ids[3][7] = 0;
    ids[1][2] = -1;
    e = assertThrows(IllegalArgumentException.class,
        () -> EmbedOps.forward(Nd4j.createFromArray(ids), embedding, out, null));
    assertEquals("token id -1 at [1, 2] is negative (the vocabulary has 10000 ids)", e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> EmbedOps.backward(Nd4j.createFromArray(new float[][] {{1.5f}}), Nd4j.create(DataType.FLOAT, 1, 1, 2),
            Nd4j.create(DataType.FLOAT, 10000, 2)));
    assertEquals("token id 1.5 at [0, 0] is not an integer", e.getMessage());
  }

  @Test
  void rejectsMismatchedShapes() {
    INDArray ids = Nd4j.createFromArray(new int[][] {{1, 2, 3}});
    INDArray embedding = Nd4j.create(DataType.FLOAT, 4, 2);
    assertThrows(IllegalArgumentException.class,
        () -> EmbedOps.forward(ids, embedding, Nd4j.create(DataType.FLOAT, 3, 1, 2), null));
    assertThrows(IllegalArgumentException.class,
        () -> EmbedOps.forward(ids, embedding, Nd4j.create(DataType.FLOAT, 1, 3, 2), Nd4j.create(DataType.FLOAT, 2)));
    assertThrows(IllegalArgumentException.class,
        () -> EmbedOps.backward(ids, Nd4j.create(DataType.FLOAT, 1, 3, 3), embedding));
  }
}
