package dev.kiln.examples;

import dev.kiln.annotations.Activation;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.io.ParameterMismatchException;
import dev.kiln.runtime.nn.ActivationOps;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.train.Evaluation;
import dev.kiln.runtime.train.ImageGrid;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@code generate} command: images from a trained VAE or GAN checkpoint as a PNG grid, walks
 * through the latent space, and the sample-quality figure that the W1b classifier gives generated
 * images beside real ones.
 */
final class Generate {
  private static final int BATCH_SIZE = 250;

  private Generate() {}

  /** {@code n} samples drawn with {@code seed}, written as a square-ish grid; returns the images. */
  static INDArray samples(ImageGenerator generator, int n, long seed, Path png, PrintStream out) throws IOException {
    INDArray images = generator.samples(PRNGKey.of(seed), n);
    ImageGrid.writePng(images, (int) Math.ceil(Math.sqrt(n)), png);
    out.println("wrote " + n + " images to " + png);
    return images;
  }

  /** {@code walks} rows of {@code steps} images, each row from one random code to another. */
  static void interpolation(ImageGenerator generator, int walks, int steps, long seed, Path png, PrintStream out)
      throws IOException {
    ImageGrid.writePng(generator.interpolation(PRNGKey.of(seed), walks, steps), steps, png);
    out.println("wrote " + walks + " latent walks of " + steps + " steps to " + png);
  }

  /**
   * Scores generated images and as many real test images with the W1b classifier ({@code
   * FashionLeNet} parameters) and prints both figures side by side.
   */
  static void quality(INDArray generated, Dataset real, Path classifierParams, PrintStream out) throws IOException {
    FashionLeNet classifier;
    try {
      classifier = FashionLeNetModel.INSTANCE.fromFlax(ParameterFiles.load(classifierParams));
    } catch (ParameterMismatchException e) {
      throw new IllegalArgumentException("--classifier " + classifierParams + " does not hold the W1b classifier's"
          + " parameters (train --model lenet writes them): " + e.getMessage(), e);
    }
    long n = generated.size(0);
    if (real.size() < n) {
      throw new IllegalArgumentException("the test set has " + real.size() + " images, fewer than the " + n
          + " generated ones to compare with");
    }
    SampleQuality fake = SampleQuality.of(probabilities(classifier, generated));
    SampleQuality truth = SampleQuality.of(probabilities(classifier, real.features().get(NDArrayIndex.interval(0, n))));
    out.printf(Locale.ROOT, "%-22s %12s %12s%n", "W1b classifier on " + n, "generated", "real test");
    out.printf(Locale.ROOT, "%-22s %12.3f %12.3f%n", "share p >= " + SampleQuality.CONFIDENT, fake.confidentShare(),
        truth.confidentShare());
    out.printf(Locale.ROOT, "%-22s %12.3f %12.3f%n", "class entropy (bits)", fake.classEntropyBits(),
        truth.classEntropyBits());
    out.println("predicted classes, generated: " + java.util.Arrays.toString(fake.histogram()));
    out.println("predicted classes, real:      " + java.util.Arrays.toString(truth.histogram()));
  }

  private static INDArray probabilities(FashionLeNet classifier, INDArray images) {
    INDArray logits = Evaluation.predictInBatches(FashionLeNetModel.INSTANCE, classifier, images, BATCH_SIZE);
    INDArray probabilities = logits.ulike();
    ActivationOps.forward(Activation.SOFTMAX, logits, probabilities);
    return probabilities;
  }
}
