package dev.kiln.runtime.loss;

import dev.kiln.runtime.testing.GradientCheck;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The negative ELBO's gradients by finite differences in double (its value is checked against Flax's W3). */
class VaeLossTest {
  @Test
  void gradientsMatchFiniteDifferences() {
    INDArray targets = Nd4j.rand(DataType.DOUBLE, 3, 6);
    GradientCheck.of(Map.of(
            "logits", GradientCheck.randn(1, 3, 6),
            "mean", GradientCheck.randn(2, 3, 2),
            "logStd", GradientCheck.randn(3, 3, 2).muli(0.3)))
        .check(
            in -> Nd4j.scalar(VaeLoss.valueAndGradients(in.get("logits"), targets, in.get("mean"), in.get("logStd"),
                in.get("logits").like(), in.get("mean").like(), in.get("logStd").like())).reshape(1),
            (in, ct) -> {
              INDArray dLogits = in.get("logits").like();
              INDArray dMean = in.get("mean").like();
              INDArray dLogStd = in.get("logStd").like();
              VaeLoss.valueAndGradients(in.get("logits"), targets, in.get("mean"), in.get("logStd"), dLogits, dMean,
                  dLogStd);
              double scale = ct.getDouble(0);
              return Map.of("logits", dLogits.muli(scale), "mean", dMean.muli(scale), "logStd", dLogStd.muli(scale));
            });
  }
}
