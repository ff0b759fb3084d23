package dev.kiln.runtime.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code optax.squared_error(predictions, targets)} (no factor 1/2) reduced by a {@link Reduction};
 * with {@link Reduction#MEAN} it is the usual mean squared error. Plain ND4J arithmetic: the
 * difference is written straight into the caller's gradient array and scaled in place.
 */
final class SquaredError implements Loss {
  private final Reduction reduction;

  SquaredError(Reduction reduction) {
    this.reduction = reduction;
  }

  @Override
  public double value(INDArray prediction, INDArray target) {
    return valueAndGradient(prediction, target, prediction.ulike());
  }

  @Override
  public double valueAndGradient(INDArray prediction, INDArray target, INDArray gradient) {
    Shapes.requireSame("target", prediction, target);
    Shapes.requireGradient(prediction, gradient);
    prediction.sub(target, gradient);
    double factor = reduction.factor(prediction);
    double value = Nd4j.getExecutioner().exec(new Dot(gradient, gradient)).getDouble(0) * factor;
    gradient.muli(2 * factor);
    return value;
  }
}
