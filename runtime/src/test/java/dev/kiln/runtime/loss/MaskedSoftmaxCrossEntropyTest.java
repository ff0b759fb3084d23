package dev.kiln.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.testing.GradientCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class MaskedSoftmaxCrossEntropyTest {
  private static final INDArray LABELS = Nd4j.createFromArray(new int[][] {{2, 0, 1, 0}, {3, 3, 1, 2}});
  private static final INDArray MASK = Nd4j.createFromArray(new double[][] {{1, 1, 0, 0}, {1, 1, 1, 1}});

  /** {@code -log softmax(logits)[label]} at one position, written out. */
  private static double crossEntropy(INDArray logits, int n, int t, int label) {
    double sum = 0;
    for (int v = 0; v < logits.size(2); v++) {
      sum += Math.exp(logits.getDouble(n, t, v));
    }
    return Math.log(sum) - logits.getDouble(n, t, label);
  }

  @Test
  void isTheMeanOverRealPositionsOnly() {
    INDArray logits = GradientCheck.randn(3, 2, 4, 5);
    double sum = 0;
    for (int n = 0; n < 2; n++) {
      for (int t = 0; t < 4; t++) {
        sum += MASK.getDouble(n, t) * crossEntropy(logits, n, t, LABELS.getInt(n, t));
      }
    }
    assertEquals(sum / 6, MaskedSoftmaxCrossEntropy.value(logits, LABELS, MASK), 1e-12);
    // what sits at padded positions does not matter
    INDArray changed = logits.dup();
    changed.putScalar(new long[] {0, 3, 1}, 40.0);
    assertEquals(MaskedSoftmaxCrossEntropy.value(logits, LABELS, MASK),
        MaskedSoftmaxCrossEntropy.value(changed, LABELS, MASK), 1e-12);
  }

  @Test
  void gradientMatchesFiniteDifferencesAndVanishesAtPadding() {
    INDArray logits = GradientCheck.randn(5, 2, 4, 5);
    INDArray gradient = logits.ulike();
    // L = loss * ct for a scalar ct: the check's cotangent multiplies the analytic gradient
    GradientCheck.of(Map.of("logits", logits)).check(
        in -> Nd4j.createFromArray(MaskedSoftmaxCrossEntropy.value(in.get("logits"), LABELS, MASK)),
        (in, ct) -> {
          MaskedSoftmaxCrossEntropy.valueAndGradient(in.get("logits"), LABELS, MASK, gradient);
          return Map.of("logits", gradient.mul(ct.getDouble(0)));
        });
    assertEquals(0.0, gradient.get(NDArrayIndex.point(0), NDArrayIndex.interval(2, 4), NDArrayIndex.all())
        .norm2Number().doubleValue());
  }

  @Test
  void weightedSumTakesWeightsOfEitherSignAndItsGradientMatchesFiniteDifferences() {
    INDArray logits = GradientCheck.randn(6, 2, 4, 5);
    INDArray weights = Nd4j.createFromArray(new double[][] {{0.5, -1.5, 0, 2}, {-0.25, 1, 3, -2}});
    double sum = 0;
    for (int n = 0; n < 2; n++) {
      for (int t = 0; t < 4; t++) {
        sum += weights.getDouble(n, t) * crossEntropy(logits, n, t, LABELS.getInt(n, t));
      }
    }
    INDArray gradient = logits.ulike();
    assertEquals(sum, MaskedSoftmaxCrossEntropy.weightedSum(logits, LABELS, weights, gradient), 1e-12);
    GradientCheck.of(Map.of("logits", logits)).check(
        in -> Nd4j.createFromArray(MaskedSoftmaxCrossEntropy.weightedSum(in.get("logits"), LABELS, weights,
            in.get("logits").ulike())),
        (in, ct) -> {
          MaskedSoftmaxCrossEntropy.weightedSum(in.get("logits"), LABELS, weights, gradient);
          return Map.of("logits", gradient.mul(ct.getDouble(0)));
        });
    // a negative weight lowers the label's probability along the descent direction
    assertTrue(gradient.getDouble(0, 1, LABELS.getInt(0, 1)) > 0);
    String badWeights = assertThrows(IllegalArgumentException.class,
        () -> MaskedSoftmaxCrossEntropy.weightedSum(logits, LABELS, Nd4j.ones(2, 5), logits.ulike())).getMessage();
    assertTrue(badWeights.contains("weights have shape [2, 5]: expected [2, 4]"), badWeights);
  }

  @Test
  void worksInFloat32WithFloatLabels() {
    INDArray logits = GradientCheck.randn(9, 2, 4, 5);
    INDArray gradient = logits.castTo(DataType.FLOAT).ulike();
    double f32 = MaskedSoftmaxCrossEntropy.valueAndGradient(logits.castTo(DataType.FLOAT),
        LABELS.castTo(DataType.FLOAT), MASK.castTo(DataType.FLOAT), gradient);
    assertEquals(MaskedSoftmaxCrossEntropy.value(logits, LABELS, MASK), f32, 1e-5);
  }

  @Test
  void mistakesAreReported() {
    INDArray logits = Nd4j.zeros(DataType.DOUBLE, 2, 4, 5);
    String badLabel = assertThrows(IllegalArgumentException.class, () -> MaskedSoftmaxCrossEntropy.value(logits,
        Nd4j.createFromArray(new int[][] {{0, 0, 0, 0}, {0, 7, 0, 0}}), MASK)).getMessage();
    assertTrue(badLabel.contains("label 7.0 at [1, 1]") && badLabel.contains("[0, 5)"), badLabel);
    String badMask = assertThrows(IllegalArgumentException.class,
        () -> MaskedSoftmaxCrossEntropy.value(logits, LABELS, Nd4j.ones(2, 3))).getMessage();
    assertTrue(badMask.contains("mask have shape [2, 3]: expected [2, 4]"), badMask);
    String rank = assertThrows(IllegalArgumentException.class,
        () -> MaskedSoftmaxCrossEntropy.value(Nd4j.zeros(8, 5), LABELS, MASK)).getMessage();
    assertTrue(rank.contains("expected [batch, steps, classes]"), rank);
    String empty = assertThrows(IllegalArgumentException.class,
        () -> MaskedSoftmaxCrossEntropy.value(logits, LABELS, MASK.mul(0))).getMessage();
    assertTrue(empty.contains("no real position"), empty);
  }
}
