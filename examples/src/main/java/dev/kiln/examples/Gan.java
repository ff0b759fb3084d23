package dev.kiln.examples;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Batches;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.random.JaxRandom;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.ImageGrid;
import dev.kiln.runtime.train.LossCurve;
import dev.kiln.runtime.train.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GANs on Fashion-MNIST scaled to [-1, 1]: WORKLOADS.md W4 (MLPs) and a DCGAN-style convolutional
 * pair. One discriminator step then one generator step per batch with the non-saturating losses and
 * Adam(2e-4, b1 0.5). The generator's gradient is the discriminator's input cotangent run back
 * through the generator.
 */
public final class Gan {
  /** The generators' code size. */
  public static final int CODE = 100;

  /**
   * A generator and a discriminator that fit together; {@code name} is the run's directory name.
   *
   * @param <G> the generator's parameters
   * @param <D> the discriminator's parameters
   */
  public record Kind<G extends Record, TG, D extends Record, TD>(String name, GanNetwork<G, TG> generator,
      GanNetwork<D, TD> discriminator) {
    /** The trained generator as codes-to-images in [0, 1]. */
    ImageGenerator imageGenerator(G params) {
      ModelDefinition<G> model = generator.model();
      return new ImageGenerator(CODE, z -> model.apply(params, z).add(1).divi(2).reshape(z.size(0), 28, 28, 1));
    }

    /** A generator checkpoint as written by {@link #train}. */
    ImageGenerator load(Path generatorParams) throws IOException {
      return imageGenerator(generator.model().fromFlax(ParameterFiles.load(generatorParams)));
    }
  }

  /** WORKLOADS.md W4: MLP generator and discriminator on flattened images. */
  public static final Kind<GanGenerator, GanGeneratorModel.Tape, GanDiscriminator, GanDiscriminatorModel.Tape> MLP =
      new Kind<>("Gan",
          new GanNetwork<>(GanGeneratorModel.INSTANCE, GanGeneratorModel.INSTANCE::tape,
              GanGeneratorModel.INSTANCE::forward, GanGeneratorModel.INSTANCE::backward, t -> {}),
          new GanNetwork<>(GanDiscriminatorModel.INSTANCE, GanDiscriminatorModel.INSTANCE::tape,
              GanDiscriminatorModel.INSTANCE::forward, GanDiscriminatorModel.INSTANCE::backward, t -> {}));

  /** The DCGAN-style pair: transposed convolutions with batch normalisation up, strided convolutions down. */
  public static final Kind<DcganGenerator, DcganGeneratorModel.Tape, DcganDiscriminator, DcganDiscriminatorModel.Tape>
      DCGAN = new Kind<>("Dcgan",
          new GanNetwork<>(DcganGeneratorModel.INSTANCE, DcganGeneratorModel.INSTANCE::tape,
              DcganGeneratorModel.INSTANCE::forward, DcganGeneratorModel.INSTANCE::backward, t -> t.training = true),
          new GanNetwork<>(DcganDiscriminatorModel.INSTANCE, DcganDiscriminatorModel.INSTANCE::tape,
              DcganDiscriminatorModel.INSTANCE::forward, DcganDiscriminatorModel.INSTANCE::backward, t -> {}));

  private Gan() {}

  /**
   * Trains; writes {@code samples-<epoch>.png}, {@code interpolation.png}, {@code loss.png} and both
   * models' parameters ({@code generator.safetensors}, {@code discriminator.safetensors}). Returns
   * steps per second.
   */
  static <G extends Record, TG, D extends Record, TD> double train(Kind<G, TG, D, TD> kind, Dataset images,
      int epochs, int batchSize, long seed, Path out, PrintStream console) throws IOException {
    Files.createDirectories(out);
    ModelDefinition<G> g = kind.generator().model();
    ModelDefinition<D> d = kind.discriminator().model();
    console.print(g.summary());
    console.print(d.summary());
    Dataset data = new Dataset(scaled(images, d.inputShape()), images.labels());
    PRNGKey[] keys = PRNGKey.of(seed).split(5); // generator, discriminator, shuffling, codes, sample codes
    G gp = g.init(keys[0]);
    D dp = d.init(keys[1]);
    Batches batches = Batches.shuffled(data, batchSize, keys[2]).dropLast(true);
    INDArray z = Nd4j.create(data.features().dataType(), batchSize, CODE);
    GanStep<G, TG, D, TD> adversarial = new GanStep<>(kind, gp, dp, z,
        Nd4j.create(data.features().dataType(), batchShape(batchSize, d.inputShape())));
    INDArray sampleCodes = JaxRandom.normal(keys[4], 64, CODE);
    History history = new History();
    int step = 0;
    long start = System.nanoTime();
    for (int epoch = 1; epoch <= epochs; epoch++) {
      ProgressBar bar = ProgressBar.onConsole("epoch " + epoch + "/" + epochs, batches.count(),
          ProgressBar.Unit.COUNT, "img/s");
      double dSum = 0;
      double gSum = 0;
      for (Iterator<Batch> it = batches.epoch(epoch); it.hasNext(); step++) {
        INDArray real = it.next().features();
        z.assign(JaxRandom.normal(keys[3].foldIn(step), batchSize, CODE));
        GanStep.Losses losses = adversarial.step(real, z);
        double dLoss = losses.discriminator();
        double gLoss = losses.generator();
        history.recordStep(gLoss);
        dSum += dLoss;
        gSum += gLoss;
        bar.status(String.format(Locale.ROOT, "d %.3f  g %.3f", dLoss, gLoss));
        bar.advance(1, batchSize);
      }
      bar.finish();
      history.recordEpoch(Map.of("train_loss", gSum / batches.count(), "d_loss", dSum / batches.count()));
      console.printf(Locale.ROOT, "epoch %d/%d:  discriminator loss %.4f  generator loss %.4f%n", epoch, epochs,
          dSum / batches.count(), gSum / batches.count());
      ImageGrid.writePng(kind.imageGenerator(gp).decode().apply(sampleCodes), 8, out.resolve("samples-" + epoch + ".png"));
      // after every epoch, so that a long run stopped early keeps its latest generator
      ParameterFiles.save(out.resolve("generator.safetensors"), g.variables(gp));
      ParameterFiles.save(out.resolve("discriminator.safetensors"), d.variables(dp));
    }
    double stepsPerSecond = step / ((System.nanoTime() - start) / 1e9);
    ImageGrid.writePng(kind.imageGenerator(gp).interpolation(keys[4].foldIn(1), 8, 10), 10,
        out.resolve("interpolation.png"));
    LossCurve.writePng(history, out.resolve("loss.png"));
    console.printf(Locale.ROOT, "%.1f steps/s (a discriminator and a generator update each); samples: %s%n",
        stepsPerSecond, out.resolve("samples-" + epochs + ".png"));
    console.println("generator: " + out.resolve("generator.safetensors") + "   latent walks: "
        + out.resolve("interpolation.png") + "   loss curve: " + out.resolve("loss.png"));
    return stepsPerSecond;
  }

  /** The CLI's entry: Fashion-MNIST resolved as usual. */
  static void train(Kind<?, ?, ?, ?> kind, Path dataDir, int epochs, int batchSize, long seed, Path out,
      PrintStream console) throws IOException {
    train(kind, dataDir == null ? FashionMnist.train() : FashionMnist.train(dataDir), epochs, batchSize, seed, out,
        console);
  }

  /** Images in [0, 1] as the discriminator takes them: its input shape, values in [-1, 1]. */
  private static INDArray scaled(Dataset images, long[] inputShape) {
    return images.features().reshape(batchShape(images.size(), inputShape)).mul(2).subi(1);
  }

  private static long[] batchShape(long batch, long[] inputShape) {
    long[] shape = new long[inputShape.length + 1];
    shape[0] = batch;
    System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
    return shape;
  }
}
