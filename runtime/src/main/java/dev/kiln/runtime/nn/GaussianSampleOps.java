package dev.kiln.runtime.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import dev.kiln.runtime.random.JaxRandom;
import dev.kiln.runtime.random.PRNGKey;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The reparameterised Gaussian sample of a VAE: the input {@code [B, 2L]} is {@code [mean,
 * logStd]}, the output {@code z = mean + exp(logStd) * eps} with {@code eps ~ N(0, I)} drawn with
 * JAX's {@code normal} from a key. Its local derivatives: {@code dz/dmean = 1}, {@code
 * dz/dlogStd = exp(logStd) * eps = z - mean}.
 */
public final class GaussianSampleOps {
  private GaussianSampleOps() {}

  /**
   * Draws {@code eps} from {@code key} (or, with a null key, keeps {@code eps} as the caller left
   * it: zeros give {@code z = mean}) and writes {@code z} into {@code out} {@code [B, L]}.
   */
  public static void forward(INDArray stats, PRNGKey key, INDArray eps, INDArray out) {
    long latent = out.size(1);
    if (stats.size(1) != 2 * latent) {
      throw new IllegalArgumentException("a Gaussian sample of " + latent + " values needs [B, " + 2 * latent
          + "] mean and log-std, got [" + stats.size(0) + ", " + stats.size(1) + "]");
    }
    if (key != null) {
      eps.assign(JaxRandom.normal(key, eps.shape()));
    }
    INDArray mean = stats.get(all(), interval(0, latent));
    INDArray logStd = stats.get(all(), interval(latent, 2 * latent));
    out.assign(logStd);
    Transforms.exp(out, false).muli(eps).addi(mean);
  }

  /** {@code dStats = [dOut, dOut * (out - mean)]}, overwritten; {@code out} is the forward result. */
  public static void backward(INDArray stats, INDArray out, INDArray dOut, INDArray dStats) {
    long latent = out.size(1);
    INDArray mean = stats.get(all(), interval(0, latent));
    dStats.get(all(), interval(0, latent)).assign(dOut);
    INDArray dLogStd = dStats.get(all(), interval(latent, 2 * latent));
    dLogStd.assign(out).subi(mean).muli(dOut);
  }
}
