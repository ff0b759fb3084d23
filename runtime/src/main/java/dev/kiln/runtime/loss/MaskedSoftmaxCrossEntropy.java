package dev.kiln.runtime.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The cross-entropy of a sequence model's next-token predictions over the real positions only:
 * logits {@code [N, T, V]}, integer labels {@code [N, T]}, a mask {@code [N, T]} of 1 for a real
 * position and 0 for padding. In optax: {@code (softmax_cross_entropy_with_integer_labels(logits,
 * labels) * mask).sum() / mask.sum()}, the mean over real positions, so a batch of short words
 * weighs each predicted character as much as a batch of long ones. The gradient with respect to the
 * logits is {@code (softmax(logits) - onehot(labels)) * mask / mask.sum()}: zero at padding. Labels
 * at padded positions must still be class ids (any, e.g. 0); they do not count.
 *
 * <p>{@link #weightedSum} is the general form behind it: each position's cross-entropy times a
 * weight of any sign, summed. With the weight of every token a policy drew set to that draw's
 * advantage it is the REINFORCE surrogate, whose gradient is the policy gradient.
 */
public final class MaskedSoftmaxCrossEntropy {
  private MaskedSoftmaxCrossEntropy() {}

  /** The loss. */
  public static double value(INDArray logits, INDArray labels, INDArray mask) {
    INDArray flat = flat(logits);
    return reduce(SoftmaxCrossEntropy.perRow(flat, classIds(logits, labels, mask, "mask")), mask);
  }

  /** The loss; writes dLoss/dLogits into {@code gradient}, shaped and typed like the logits. */
  public static double valueAndGradient(INDArray logits, INDArray labels, INDArray mask, INDArray gradient) {
    return weightedSum(logits, labels, mask.castTo(logits.dataType()).div(realPositions(mask)), gradient);
  }

  /**
   * {@code sum(weights * softmax_cross_entropy_with_integer_labels(logits, labels))}; writes its
   * gradient {@code (softmax(logits) - onehot(labels)) * weights} into {@code gradient}.
   *
   * @param weights {@code [N, T]}, any real numbers: 0 leaves a position out, a negative weight
   *     pushes its label's probability down
   */
  public static double weightedSum(INDArray logits, INDArray labels, INDArray weights, INDArray gradient) {
    Shapes.requireGradient(logits, gradient);
    INDArray flat = flat(logits);
    INDArray ids = classIds(logits, labels, weights, "weights");
    INDArray column = weights.reshape(flat.size(0), 1).castTo(logits.dataType());
    INDArray rows = flat.ulike();
    SoftmaxCrossEntropy.rowGradients(flat, ids, rows);
    gradient.assign(rows.muliColumnVector(column).reshape(logits.shape()));
    return SoftmaxCrossEntropy.perRow(flat, ids).mul(column.reshape(flat.size(0))).sumNumber().doubleValue();
  }

  private static double reduce(INDArray perPosition, INDArray mask) {
    INDArray weights = mask.reshape(perPosition.length()).castTo(perPosition.dataType());
    return perPosition.mul(weights).sumNumber().doubleValue() / realPositions(mask);
  }

  private static double realPositions(INDArray mask) {
    double real = mask.sumNumber().doubleValue();
    if (!(real > 0)) {
      throw new IllegalArgumentException("the mask marks no real position (its sum is " + real
          + "): expected 1 at each position that counts");
    }
    return real;
  }

  private static INDArray flat(INDArray logits) {
    if (logits.rank() != 3) {
      throw new IllegalArgumentException("logits have shape " + Arrays.toString(logits.shape())
          + ": expected [batch, steps, classes]");
    }
    return logits.dup('c').reshape(logits.size(0) * logits.size(1), logits.size(2));
  }

  /** The labels as int32 ids {@code [N * T]}, each checked, after the shapes of the labels and of the mask or weights. */
  private static INDArray classIds(INDArray logits, INDArray labels, INDArray perPosition, String name) {
    long[] expected = {logits.size(0), logits.size(1)};
    for (INDArray a : new INDArray[] {labels, perPosition}) {
      if (!Arrays.equals(a.shape(), expected)) {
        throw new IllegalArgumentException((a == labels ? "labels" : name) + " have shape "
            + Arrays.toString(a.shape()) + ": expected " + Arrays.toString(expected) + " for logits of shape "
            + Arrays.toString(logits.shape()));
      }
    }
    long classes = logits.size(2);
    double[] values = labels.dup('c').reshape(labels.length()).toDoubleVector();
    for (int i = 0; i < values.length; i++) {
      double label = values[i];
      if (!(label >= 0 && label < classes && label == Math.rint(label))) {
        throw new IllegalArgumentException("label " + label + " at [" + i / expected[1] + ", " + i % expected[1]
            + "] is not a class id: expected an integer in [0, " + classes + ")");
      }
    }
    return labels.dup('c').reshape(labels.length()).castTo(DataType.INT);
  }
}
