package dev.kiln.examples;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Batches;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.loss.Loss;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.OptimizerState;
import dev.kiln.runtime.random.JaxRandom;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.text.Letters;
import dev.kiln.runtime.text.WordList;
import dev.kiln.runtime.text.WordMetrics;
import dev.kiln.runtime.train.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A GAN that writes words: {@link WordGanGenerator} emits character logits per position, {@link
 * WordGanDiscriminator} judges one-hot words. Letters are discrete, so the generator's gradient
 * cannot pass through drawing them; it passes through the straight-through Gumbel-softmax instead:
 * the discriminator sees the hard draw {@code onehot(argmax(logits + g))} (an exact sample from
 * {@code softmax(logits)}, one-hot like every real word, so the discriminator cannot tell fakes by
 * their softness), and the draw's cotangent flows back through {@code softmax((logits + g) / tau)}
 * as if that had been seen. The temperature {@code tau} falls geometrically from {@value #TAU_START}
 * to {@value #TAU_END} over training: hotter relaxations give smoother, more biased gradients. The
 * steps are those of W4's {@link Gan}: one discriminator then one generator update per batch, the
 * non-saturating losses, Adam with b1 0.5; here the generator learns faster (1e-3) than the
 * discriminator (2e-4), and the discriminator's target for real words is 0.9 (one-sided label
 * smoothing), which in trials kept it from overpowering the generator.
 */
final class WordGan {
  private static final WordGanGeneratorModel G = WordGanGeneratorModel.INSTANCE;
  private static final WordGanDiscriminatorModel D = WordGanDiscriminatorModel.INSTANCE;
  private static final Loss BCE = Losses.sigmoidBinaryCrossEntropy();
  static final int CODE = 64;
  static final double TAU_START = 1.0;
  static final double TAU_END = 0.2;
  static final double GENERATOR_LEARNING_RATE = 1e-3;
  static final double DISCRIMINATOR_LEARNING_RATE = 2e-4;
  /** One-sided label smoothing: the discriminator aims at 0.9 for real words, so it cannot grow overconfident. */
  static final double REAL_TARGET = 0.9;
  /** Words generated after each epoch to measure validity and mode collapse. */
  static final int MEASURED = 1000;

  private WordGan() {}

  /**
   * Trains on {@code words.train()}; prints each epoch's losses, the metrics of {@value #MEASURED}
   * generated words (diversity falling means mode collapse) and a few samples, and writes {@code
   * generator.safetensors} and {@code discriminator.safetensors}. Returns each epoch's metrics.
   */
  static List<WordMetrics> train(WordList words, int epochs, int batchSize, long seed, Path out, PrintStream console)
      throws IOException {
    Files.createDirectories(out);
    Dataset data = new Dataset(oneHot(words.train()), Nd4j.zeros(DataType.INT, words.train().size()));
    PRNGKey[] keys = PRNGKey.of(seed).split(6); // generator, discriminator, shuffling, codes, gumbel, samples
    WordGanGenerator gp = G.init(keys[0]);
    WordGanDiscriminator dp = D.init(keys[1]);
    WordGanGenerator gGrads = G.zerosLike(gp);
    WordGanDiscriminator dGrads = D.zerosLike(dp);
    WordGanDiscriminator dGradsFake = D.zerosLike(dp);
    List<INDArray> gLeaves = G.leaves(gp);
    List<INDArray> dLeaves = D.leaves(dp);
    List<INDArray> gGradLeaves = G.leaves(gGrads);
    List<INDArray> dGradLeaves = D.leaves(dGrads);
    List<INDArray> dGradFakeLeaves = D.leaves(dGradsFake);
    Optimizer gAdam = Optax.adam(GENERATOR_LEARNING_RATE, 0.5, 0.999, 1e-8);
    Optimizer dAdam = Optax.adam(DISCRIMINATOR_LEARNING_RATE, 0.5, 0.999, 1e-8);
    OptimizerState gState = gAdam.init(gLeaves);
    OptimizerState dState = dAdam.init(dLeaves);

    Batches batches = Batches.shuffled(data, batchSize, keys[2]).dropLast(true);
    INDArray ones = Nd4j.ones(DataType.FLOAT, batchSize, 1);
    INDArray realTargets = ones.mul(REAL_TARGET);
    INDArray zeros = Nd4j.zeros(DataType.FLOAT, batchSize, 1);
    INDArray z = Nd4j.create(DataType.FLOAT, batchSize, CODE);
    WordGanGeneratorModel.Tape gt = G.tape(z);
    INDArray shape = Nd4j.create(DataType.FLOAT, batchSize, WordList.MAX_LENGTH, Letters.COUNT);
    WordGanDiscriminatorModel.Tape realTape = D.tape(shape);
    WordGanDiscriminatorModel.Tape fakeTape = D.tape(shape);
    int totalSteps = Math.max(1, epochs * batches.count());
    List<WordMetrics> history = new ArrayList<>();
    int step = 0;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      ProgressBar bar = ProgressBar.onConsole("epoch " + epoch + "/" + epochs, batches.count(),
          ProgressBar.Unit.COUNT, "words/s");
      double dSum = 0;
      double gSum = 0;
      double tau = TAU_START;
      for (Iterator<Batch> it = batches.epoch(epoch); it.hasNext(); step++) {
        INDArray real = it.next().features();
        tau = TAU_START * Math.pow(TAU_END / TAU_START, (double) step / totalSteps);
        z.assign(JaxRandom.normal(keys[3].foldIn(step), batchSize, CODE));
        INDArray logits = G.forward(gp, z, gt);
        INDArray soft = GumbelSoftmax.sample(logits, JaxRandom.gumbel(keys[4].foldIn(step), logits.shape()), tau);
        INDArray fake = GumbelSoftmax.oneHot(soft);

        // discriminator: bce(D(real), 0.9) + bce(D(fake), 0)
        double dLoss = BCE.valueAndGradient(D.forward(dp, real, realTape), realTargets, realTape.dLogit);
        D.backward(dp, realTape, realTape.dLogit, dGrads, false);
        dLoss += BCE.valueAndGradient(D.forward(dp, fake, fakeTape), zeros, fakeTape.dLogit);
        D.backward(dp, fakeTape, fakeTape.dLogit, dGradsFake, false);
        for (int i = 0; i < dGradLeaves.size(); i++) {
          dGradLeaves.get(i).addi(dGradFakeLeaves.get(i));
        }
        dAdam.update(dLeaves, dGradLeaves, dState);

        // generator: bce(D(fake), 1); the hard draw's cotangent goes through the relaxation into G
        double gLoss = BCE.valueAndGradient(D.forward(dp, fake, fakeTape), ones, fakeTape.dLogit);
        INDArray dFake = D.backward(dp, fakeTape, fakeTape.dLogit, dGradsFake, true);
        G.backward(gp, gt, GumbelSoftmax.backward(soft, dFake, tau), gGrads, false);
        gAdam.update(gLeaves, gGradLeaves, gState);

        dSum += dLoss;
        gSum += gLoss;
        bar.status(String.format(Locale.ROOT, "d %.3f  g %.3f  tau %.2f", dLoss, gLoss, tau));
        bar.advance(1, batchSize);
      }
      bar.finish();
      List<String> samples = generate(gp, MEASURED, 1.0, keys[5]);
      WordMetrics metrics = WordMetrics.of(samples, words);
      history.add(metrics);
      console.printf(Locale.ROOT, "epoch %d/%d:  discriminator loss %.4f  generator loss %.4f  tau %.3f%n  %s%n"
          + "  samples: %s%n", epoch, epochs, dSum / batches.count(), gSum / batches.count(), tau, metrics,
          String.join(" ", samples.subList(0, 12)));
    }
    ParameterFiles.save(out.resolve("generator.safetensors"), G.variables(gp));
    ParameterFiles.save(out.resolve("discriminator.safetensors"), D.variables(dp));
    console.println("parameters: " + out.resolve("generator.safetensors"));
    return history;
  }

  /**
   * {@code n} words from codes drawn with {@code key}: at each position a character drawn from
   * {@code softmax(logits / temperature)} (what training's hard draws are at temperature 1), the
   * word ending at the first end character.
   */
  static List<String> generate(WordGanGenerator params, int n, double temperature, PRNGKey key) {
    PRNGKey[] keys = key.split(2);
    INDArray logits = G.apply(params, JaxRandom.normal(keys[0], n, CODE)).divi(temperature);
    int[] ids = JaxRandom.categorical(keys[1], logits);
    List<String> words = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      words.add(Letters.word(Arrays.copyOfRange(ids, i * WordList.MAX_LENGTH, (i + 1) * WordList.MAX_LENGTH)));
    }
    return words;
  }

  /** Words as one-hot characters {@code [N, 10, 27]}, float32, padded with the end character. */
  static INDArray oneHot(List<String> words) {
    float[] values = new float[words.size() * WordList.MAX_LENGTH * Letters.COUNT];
    for (int w = 0; w < words.size(); w++) {
      int[] ids = Letters.ids(words.get(w), WordList.MAX_LENGTH);
      for (int t = 0; t < ids.length; t++) {
        values[(w * WordList.MAX_LENGTH + t) * Letters.COUNT + ids[t]] = 1f;
      }
    }
    return Nd4j.create(values, new long[] {words.size(), WordList.MAX_LENGTH, Letters.COUNT}, 'c');
  }
}
