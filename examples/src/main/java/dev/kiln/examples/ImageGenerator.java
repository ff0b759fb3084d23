package dev.kiln.examples;

import dev.kiln.runtime.random.JaxRandom;
import dev.kiln.runtime.random.PRNGKey;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained generative model seen from outside: codes {@code [N, latent]} from N(0, I) in, gray
 * images {@code [N, 28, 28, 1]} in [0, 1] out. The VAE's decoder and the GANs' generators are
 * both; samples, interpolation strips and the sample-quality figure need nothing more.
 *
 * @param latent the code's size
 * @param decode codes to images
 */
public record ImageGenerator(int latent, UnaryOperator<INDArray> decode) {
  /** {@code n} images from codes drawn with {@code key}. */
  INDArray samples(PRNGKey key, int n) {
    return decode.apply(JaxRandom.normal(key, n, latent));
  }

  /**
   * {@code rows} walks through the latent space, each from one random code to another in {@code
   * steps} equal steps (both ends included), laid out row after row: {@code [rows * steps, 28, 28, 1]}.
   */
  INDArray interpolation(PRNGKey key, int rows, int steps) {
    if (steps < 2) {
      throw new IllegalArgumentException("an interpolation needs at least 2 steps, found " + steps);
    }
    PRNGKey[] ends = key.split(2);
    INDArray from = JaxRandom.normal(ends[0], rows, latent);
    INDArray to = JaxRandom.normal(ends[1], rows, latent);
    INDArray codes = Nd4j.create(from.dataType(), (long) rows * steps, latent);
    for (int r = 0; r < rows; r++) {
      for (int s = 0; s < steps; s++) {
        double t = (double) s / (steps - 1);
        codes.putRow((long) r * steps + s, from.getRow(r).mul(1 - t).addi(to.getRow(r).mul(t)));
      }
    }
    return decode.apply(codes);
  }
}
