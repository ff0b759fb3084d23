package dev.kiln.runtime.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A VAE's negative ELBO per example, averaged over the batch: the Bernoulli log-likelihood of the
 * targets (intensities in [0, 1]) given the decoder's logits, summed over pixels, plus {@code
 * KL(N(mean, exp(logStd)^2) || N(0, I)) = -0.5 * sum(1 + 2 logStd - mean^2 - exp(2 logStd))}.
 */
public final class VaeLoss {
  private static final Loss RECONSTRUCTION = Losses.sigmoidBinaryCrossEntropy();

  private VaeLoss() {}

  /**
   * The loss; writes its gradients with respect to the logits, the mean and the log-std into the
   * three given arrays.
   *
   * @param targets the images, any shape with the logits' element count per example
   */
  public static double valueAndGradients(INDArray logits, INDArray targets, INDArray mean, INDArray logStd,
      INDArray dLogits, INDArray dMean, INDArray dLogStd) {
    long batch = logits.size(0);
    INDArray flat = targets.reshape(batch, logits.size(1)).castTo(logits.dataType());
    double reconstruction = RECONSTRUCTION.valueAndGradient(logits, flat, dLogits);
    // KL per example, averaged: d/dmean = mean / B, d/dlogStd = (exp(2 logStd) - 1) / B
    INDArray variance = Transforms.exp(logStd.mul(2), false);
    double kl = -0.5 * (1.0 * mean.length() + logStd.sumNumber().doubleValue() * 2
        - mean.mul(mean).sumNumber().doubleValue() - variance.sumNumber().doubleValue()) / batch;
    dMean.assign(mean).divi(batch);
    dLogStd.assign(variance.subi(1)).divi(batch);
    return reconstruction + kl;
  }
}
