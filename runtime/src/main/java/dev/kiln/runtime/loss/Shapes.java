package dev.kiln.runtime.loss;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Argument checks shared by the losses, so a shape mistake fails with both shapes named. */
final class Shapes {
  private Shapes() {}

  static void requireSame(String what, INDArray expectedLike, INDArray actual) {
    if (!expectedLike.equalShapes(actual)) {
      throw new IllegalArgumentException(what + " has shape " + Arrays.toString(actual.shape())
          + ": expected " + Arrays.toString(expectedLike.shape()));
    }
  }

  /** The gradient array must match the prediction in shape and data type, as it is written in place. */
  static void requireGradient(INDArray prediction, INDArray gradient) {
    requireSame("gradient", prediction, gradient);
    if (gradient.dataType() != prediction.dataType()) {
      throw new IllegalArgumentException("gradient is " + gradient.dataType() + ": expected "
          + prediction.dataType() + " like the prediction");
    }
  }
}
