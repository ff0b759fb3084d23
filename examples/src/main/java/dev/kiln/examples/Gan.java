package dev.kiln.examples;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Batches;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.loss.Loss;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.OptimizerState;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * WORKLOADS.md W4: an MLP GAN on Fashion-MNIST scaled to [-1, 1], one discriminator step then one
 * generator step per batch with the non-saturating losses and Adam(2e-4, b1 0.5). The generator's
 * gradient is the discriminator's input cotangent run back through the generator.
 */
final class Gan {
  private static final GanGeneratorModel G = GanGeneratorModel.INSTANCE;
  private static final GanDiscriminatorModel D = GanDiscriminatorModel.INSTANCE;
  private static final Loss BCE = Losses.sigmoidBinaryCrossEntropy();
  private static final int CODE = 100;

  private Gan() {}

  /** Trains; writes {@code samples-<epoch>.png}, {@code loss.png} and both models' parameters. Returns steps per second. */
  static double train(Dataset images, int epochs, int batchSize, long seed, Path out, PrintStream console)
      throws IOException {
    Files.createDirectories(out);
    Dataset data = new Dataset(images.features().reshape(images.size(), 784).mul(2).subi(1), images.labels());
    PRNGKey[] keys = PRNGKey.of(seed).split(5); // generator, discriminator, shuffling, codes, sample codes
    GanGenerator gp = G.init(keys[0]);
    GanDiscriminator dp = D.init(keys[1]);
    GanGenerator gGrads = G.zerosLike(gp);
    GanDiscriminator dGrads = D.zerosLike(dp);
    GanDiscriminator dGradsFake = D.zerosLike(dp);
    List<INDArray> gLeaves = G.leaves(gp);
    List<INDArray> dLeaves = D.leaves(dp);
    List<INDArray> gGradLeaves = G.leaves(gGrads);
    List<INDArray> dGradLeaves = D.leaves(dGrads);
    List<INDArray> dGradFakeLeaves = D.leaves(dGradsFake);
    Optimizer gAdam = Optax.adam(2e-4, 0.5, 0.999, 1e-8);
    Optimizer dAdam = Optax.adam(2e-4, 0.5, 0.999, 1e-8);
    OptimizerState gState = gAdam.init(gLeaves);
    OptimizerState dState = dAdam.init(dLeaves);

    Batches batches = Batches.shuffled(data, batchSize, keys[2]).dropLast(true);
    INDArray ones = Nd4j.ones(data.features().dataType(), batchSize, 1);
    INDArray zeros = Nd4j.zeros(data.features().dataType(), batchSize, 1);
    INDArray z = Nd4j.create(data.features().dataType(), batchSize, CODE);
    GanGeneratorModel.Tape gt = G.tape(z);
    GanDiscriminatorModel.Tape realTape = D.tape(Nd4j.create(data.features().dataType(), batchSize, 784));
    GanDiscriminatorModel.Tape fakeTape = D.tape(Nd4j.create(data.features().dataType(), batchSize, 784));
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
        INDArray fake = G.forward(gp, z, gt);

        // discriminator: bce(D(real), 1) + bce(D(fake), 0)
        INDArray realLogits = D.forward(dp, real, realTape);
        double dLoss = BCE.valueAndGradient(realLogits, ones, realTape.dLogit);
        D.backward(dp, realTape, realTape.dLogit, dGrads, false);
        INDArray fakeLogits = D.forward(dp, fake, fakeTape);
        dLoss += BCE.valueAndGradient(fakeLogits, zeros, fakeTape.dLogit);
        D.backward(dp, fakeTape, fakeTape.dLogit, dGradsFake, false);
        for (int i = 0; i < dGradLeaves.size(); i++) {
          dGradLeaves.get(i).addi(dGradFakeLeaves.get(i));
        }
        dAdam.update(dLeaves, dGradLeaves, dState);

        // generator: bce(D(G(z)), 1) through the updated discriminator, its input cotangent into G
        fakeLogits = D.forward(dp, fake, fakeTape);
        double gLoss = BCE.valueAndGradient(fakeLogits, ones, fakeTape.dLogit);
        INDArray dFake = D.backward(dp, fakeTape, fakeTape.dLogit, dGradsFake, true);
        G.backward(gp, gt, dFake, gGrads, false);
        gAdam.update(gLeaves, gGradLeaves, gState);

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
      INDArray samples = G.apply(gp, sampleCodes).add(1).divi(2).reshape(64, 28, 28, 1);
      ImageGrid.writePng(samples, 8, out.resolve("samples-" + epoch + ".png"));
    }
    double stepsPerSecond = step / ((System.nanoTime() - start) / 1e9);
    ParameterFiles.save(out.resolve("generator.safetensors"), G.variables(gp));
    ParameterFiles.save(out.resolve("discriminator.safetensors"), D.variables(dp));
    LossCurve.writePng(history, out.resolve("loss.png"));
    console.printf(Locale.ROOT, "%.1f steps/s (a discriminator and a generator update each); samples: %s%n",
        stepsPerSecond, out.resolve("samples-" + epochs + ".png"));
    return stepsPerSecond;
  }

  /** The CLI's entry: Fashion-MNIST resolved as usual. */
  static void train(Path dataDir, int epochs, int batchSize, long seed, Path out, PrintStream console)
      throws IOException {
    train(dataDir == null ? FashionMnist.train() : FashionMnist.train(dataDir), epochs, batchSize, seed, out, console);
  }
}
