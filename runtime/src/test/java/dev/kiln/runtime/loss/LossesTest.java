package dev.kiln.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.testing.Parity;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LossesTest {
  private static final Parity OPS = Parity.ops();

  private static double relativeError(INDArray got, INDArray want) {
    return got.sub(want).norm2Number().doubleValue() / want.norm2Number().doubleValue();
  }

  @Test
  void softmaxCrossEntropyMatchesOptax() {
    INDArray logits = OPS.get("losses/logits");
    INDArray gradient = logits.ulike();
    for (INDArray labels : new INDArray[] {OPS.get("losses/labels"), OPS.get("losses/labels").castTo(DataType.FLOAT)}) {
      double ce = Losses.softmaxCrossEntropy().valueAndGradient(logits, labels, gradient);
      double want = OPS.get("losses/ce").getDouble(0);
      assertEquals(want, ce, Math.abs(want) * 1e-5);
      assertEquals(want, Losses.softmaxCrossEntropy().value(logits, labels), Math.abs(want) * 1e-5);
      assertTrue(relativeError(gradient, OPS.get("losses/ce_grad")) < 1e-4);
    }
  }

  @Test
  void sigmoidBinaryCrossEntropySumMatchesOptax() {
    INDArray logits = OPS.get("losses/bce_logits");
    INDArray targets = OPS.get("losses/bce_targets");
    INDArray gradient = logits.ulike();
    double bce = Losses.sigmoidBinaryCrossEntropy(Reduction.SUM).valueAndGradient(logits, targets, gradient);
    double want = OPS.get("losses/bce").getDouble(0);
    assertEquals(want, bce, Math.abs(want) * 1e-5);
    assertTrue(relativeError(gradient, OPS.get("losses/bce_grad")) < 1e-4);
    // the default reduction sums the features and averages over the 4 rows
    assertEquals(want / 4, Losses.sigmoidBinaryCrossEntropy().valueAndGradient(logits, targets, gradient),
        Math.abs(want) * 1e-5);
    assertTrue(relativeError(gradient.mul(4), OPS.get("losses/bce_grad")) < 1e-4);
  }

  @Test
  void meanSquaredErrorIsTheMeanOverEveryElement() {
    INDArray p = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
    INDArray t = Nd4j.createFromArray(new float[][] {{0, 2}, {5, 4}});
    INDArray gradient = p.ulike();
    assertEquals((1 + 4) / 4.0, Losses.meanSquaredError().valueAndGradient(p, t, gradient), 1e-7);
    assertEquals(Nd4j.createFromArray(new float[][] {{0.5f, 0}, {-1, 0}}), gradient);
    assertEquals(5.0, Losses.squaredError(Reduction.SUM).value(p, t), 1e-7);
    assertEquals(2.5, Losses.squaredError(Reduction.BATCH_MEAN).value(p, t), 1e-7);
  }

  @Test
  void labelOutOfRangeNamesRowLabelAndClassCount() {
    INDArray logits = Nd4j.zeros(3, 10);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Losses.softmaxCrossEntropy().value(logits, Nd4j.createFromArray(1, 10, 2)));
    assertTrue(e.getMessage().contains("label 10 at row 1"), e.getMessage());
    assertTrue(e.getMessage().contains("10 classes"), e.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> Losses.softmaxCrossEntropy().valueAndGradient(logits, Nd4j.createFromArray(0f, 1f, -1f), logits.ulike()));
    assertTrue(negative.getMessage().contains("label -1 at row 2"), negative.getMessage());
    IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
        () -> Losses.softmaxCrossEntropy().value(logits, Nd4j.createFromArray(0f, 1.5f, 2f)));
    assertTrue(fraction.getMessage().contains("label 1.5 at row 1"), fraction.getMessage());
  }

  @Test
  void shapeMistakesAreReported() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Losses.meanSquaredError().value(Nd4j.zeros(2, 3), Nd4j.zeros(3, 2)));
    assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Losses.softmaxCrossEntropy().value(Nd4j.zeros(2, 3), Nd4j.createFromArray(0, 1, 2)));
  }

  /** Central differences in float64, eps 1e-6, against the analytic gradient: normwise relative error < 1e-6. */
  private static void assertGradientMatchesFiniteDifferences(Loss loss, INDArray prediction, INDArray target) {
    INDArray analytic = prediction.ulike();
    loss.valueAndGradient(prediction, target, analytic);
    INDArray numeric = prediction.ulike();
    double eps = 1e-6;
    for (long i = 0; i < prediction.length(); i++) {
      double x = prediction.getDouble(i);
      prediction.putScalar(i, x + eps);
      double up = loss.value(prediction, target);
      prediction.putScalar(i, x - eps);
      double down = loss.value(prediction, target);
      prediction.putScalar(i, x);
      numeric.putScalar(i, (up - down) / (2 * eps));
    }
    double err = relativeError(analytic, numeric);
    assertTrue(err < 1e-6, "relative error " + err + "\nanalytic " + analytic + "\nnumeric " + numeric);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Nd4j.getRandom().setSeed(7);
    INDArray logits = Nd4j.randn(DataType.DOUBLE, 5, 7).muli(2);
    assertGradientMatchesFiniteDifferences(Losses.softmaxCrossEntropy(), logits,
        Nd4j.createFromArray(0.0, 6.0, 3.0, 3.0, 1.0));
    INDArray targets = Nd4j.rand(DataType.DOUBLE, 5, 7);
    for (Reduction r : Reduction.values()) {
      assertGradientMatchesFiniteDifferences(Losses.sigmoidBinaryCrossEntropy(r), logits.dup(), targets);
      assertGradientMatchesFiniteDifferences(Losses.squaredError(r), logits.dup(), targets);
    }
  }
}
