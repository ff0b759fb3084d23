package dev.kiln.runtime.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code optax.softmax_cross_entropy_with_integer_labels(logits, labels).mean()}: logits
 * {@code [batch, classes]}, labels a {@code [batch]} array of class ids (any numeric type). Runs on
 * ND4J's native {@code sparse_softmax_cross_entropy_loss_with_logits} and its {@code _grad}, which
 * reproduce JAX exactly. Labels are checked first: neither the native op nor optax checks them, and
 * an out-of-range id would silently give a meaningless loss.
 */
final class SoftmaxCrossEntropy implements Loss {
  @Override
  public double value(INDArray logits, INDArray labels) {
    return mean(logits, classIds(logits, labels));
  }

  @Override
  public double valueAndGradient(INDArray logits, INDArray labels, INDArray gradient) {
    Shapes.requireGradient(logits, gradient);
    INDArray ids = classIds(logits, labels);
    rowGradients(logits, ids, gradient);
    gradient.divi(logits.size(0));
    return mean(logits, ids);
  }

  private static double mean(INDArray logits, INDArray ids) {
    return perRow(logits, ids).sumNumber().doubleValue() / logits.size(0);
  }

  /** Each row's cross-entropy {@code [rows]} for logits {@code [rows, classes]} and checked int32 ids. */
  static INDArray perRow(INDArray logits, INDArray ids) {
    INDArray perRow = Nd4j.create(logits.dataType(), logits.size(0));
    Nd4j.exec(DynamicCustomOp.builder("sparse_softmax_cross_entropy_loss_with_logits")
        .addInputs(ids, logits).addOutputs(perRow).build());
    return perRow;
  }

  /** The gradient of each row's cross-entropy with respect to its logits, {@code softmax - onehot}. */
  static void rowGradients(INDArray logits, INDArray ids, INDArray gradient) {
    Nd4j.exec(DynamicCustomOp.builder("sparse_softmax_cross_entropy_loss_with_logits_grad")
        .addInputs(ids, logits).addOutputs(gradient).build());
  }

  /** The labels as int32 class ids, each checked to be a whole number in {@code [0, classes)}. */
  private static INDArray classIds(INDArray logits, INDArray labels) {
    if (logits.rank() != 2) {
      throw new IllegalArgumentException("logits have shape " + Arrays.toString(logits.shape())
          + ": expected [batch, classes]");
    }
    long batch = logits.size(0);
    long classes = logits.size(1);
    if (labels.length() != batch || labels.rank() > 1 && labels.length() != labels.size(0)) {
      throw new IllegalArgumentException("labels have shape " + Arrays.toString(labels.shape())
          + ": expected [" + batch + "] class ids for logits of shape " + Arrays.toString(logits.shape()));
    }
    double[] values = labels.toDoubleVector();
    for (int row = 0; row < values.length; row++) {
      double label = values[row];
      if (!(label >= 0 && label < classes && label == Math.rint(label))) {
        throw new IllegalArgumentException("label " + (label == Math.rint(label) ? String.valueOf((long) label)
            : String.valueOf(label)) + " at row " + row + " is not a class id: expected an integer in [0, "
            + classes + ") for " + classes + " classes");
      }
    }
    return labels.dataType() == DataType.INT ? labels.reshape(batch) : labels.reshape(batch).castTo(DataType.INT);
  }
}
