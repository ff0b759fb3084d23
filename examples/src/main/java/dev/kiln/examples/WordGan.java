package dev.kiln.examples;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Batches;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.loss.Loss;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.loss.MaskedSoftmaxCrossEntropy;
import dev.kiln.runtime.model.TapeCache;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.OptimizerState;
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
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A GAN that writes words, trained with policy gradients (SeqGAN, Yu et al. 2017). The generator is
 * an autoregressive character model, {@link WordLstm}: it writes a word one drawn letter at a time.
 * Drawing a letter has no gradient, so instead of back-propagating the discriminator's verdict
 * through the draws the generator treats it as a reward: each drawn word is scored by {@link
 * WordGanDiscriminator}, and REINFORCE raises the log-probability of the words scored above the
 * batch's mean and lowers that of the others ({@link MaskedSoftmaxCrossEntropy#weightedSum} with
 * every drawn letter weighted by its word's advantage).
 *
 * <p>As in SeqGAN, training has three phases. The generator first learns by maximum likelihood
 * ({@link WordLanguageModel#fit}): REINFORCE from a random policy rarely draws a word the
 * discriminator likes, so its gradient has nothing to follow. The discriminator then learns alone,
 * real words against words the pretrained generator drew, so that its first rewards carry
 * information rather than noise.
 * Each adversarial step then draws a batch of words, updates the discriminator on real against
 * drawn words (sigmoid cross-entropy, real target 0.9: one-sided label smoothing), scores the
 * drawn words with the updated discriminator and takes one policy-gradient step. Both use Adam.
 */
final class WordGan {
  private static final WordLstmModel G = WordLstmModel.INSTANCE;
  private static final WordGanDiscriminatorModel D = WordGanDiscriminatorModel.INSTANCE;
  private static final Loss BCE = Losses.sigmoidBinaryCrossEntropy();
  static final double PRETRAIN_LEARNING_RATE = 3e-3;
  static final double GENERATOR_LEARNING_RATE = 1e-4;
  static final double DISCRIMINATOR_LEARNING_RATE = 1e-3;
  /** Passes of the discriminator alone, before the adversarial steps, so that its first rewards carry information. */
  static final int DISCRIMINATOR_PRETRAIN_EPOCHS = 3;
  /** One-sided label smoothing: the discriminator aims at 0.9 for real words, so it cannot grow overconfident. */
  static final double REAL_TARGET = 0.9;

  private final WordLstm gp;
  /** The generator as a function of its inputs, kept so that drawing words reuses its buffers. */
  private final UnaryOperator<INDArray> writer;
  private final WordGanDiscriminator dp;
  private final int batchSize;
  // the parameters and gradients as the optimizers see them, listed once
  private final List<INDArray> gLeaves;
  private final List<INDArray> gGradLeaves;
  private final List<INDArray> dLeaves;
  private final List<INDArray> dGradLeaves;
  private final List<INDArray> dGradFakeLeaves;
  private final WordLstm gGrads;
  private final WordGanDiscriminator dGrads;
  private final WordGanDiscriminator dGradsFake;
  private final Optimizer gAdam = Optax.adam(GENERATOR_LEARNING_RATE);
  private final Optimizer dAdam = Optax.adam(DISCRIMINATOR_LEARNING_RATE);
  private final OptimizerState gState;
  private final OptimizerState dState;
  private final INDArray realTargets;
  private final INDArray zeros;
  private final WordGanDiscriminatorModel.Tape realTape;
  private final WordGanDiscriminatorModel.Tape fakeTape;
  private final TapeCache<WordLstmModel.Tape> gTapes = new TapeCache<>(G::tape, WordLstmModel.Tape::fits);

  private WordGan(WordLstm gp, WordGanDiscriminator dp, int batchSize) {
    this.gp = gp;
    writer = G.predictor(gp);
    this.dp = dp;
    this.batchSize = batchSize;
    gGrads = G.zerosLike(gp);
    dGrads = D.zerosLike(dp);
    dGradsFake = D.zerosLike(dp);
    gLeaves = G.leaves(gp);
    gGradLeaves = G.leaves(gGrads);
    dLeaves = D.leaves(dp);
    dGradLeaves = D.leaves(dGrads);
    dGradFakeLeaves = D.leaves(dGradsFake);
    gState = gAdam.init(gLeaves);
    dState = dAdam.init(dLeaves);
    realTargets = Nd4j.ones(DataType.FLOAT, batchSize, 1).muli(REAL_TARGET);
    zeros = Nd4j.zeros(DataType.FLOAT, batchSize, 1);
    INDArray words = Nd4j.create(DataType.FLOAT, batchSize, WordList.MAX_LENGTH, Letters.COUNT);
    realTape = D.tape(words);
    fakeTape = D.tape(words);
  }

  /**
   * Pretrains the generator for {@code pretrainEpochs} by maximum likelihood and the discriminator
   * for {@value #DISCRIMINATOR_PRETRAIN_EPOCHS}, then trains both adversarially for {@code epochs} passes over {@code
   * words.train()}; prints each epoch's losses, the metrics of {@value WordLanguageModel#MEASURED}
   * generated words (diversity falling means mode collapse) and a few samples, and writes {@code
   * generator.safetensors} and {@code discriminator.safetensors}. Returns the metrics after
   * pretraining and after each adversarial epoch.
   */
  static List<WordMetrics> train(WordList words, int pretrainEpochs, int epochs, int batchSize, long seed, Path out,
      PrintStream console) throws IOException {
    Files.createDirectories(out);
    console.print(G.summary());
    console.print(D.summary());
    PRNGKey[] keys = PRNGKey.of(seed).split(7); // generator, discriminator, pretraining, shuffling, draws, samples, pool
    WordGan gan = new WordGan(G.init(keys[0]), D.init(keys[1]), batchSize);
    console.printf("pretraining the generator by maximum likelihood (epochs: %d)%n", pretrainEpochs);
    List<WordLanguageModel.Epoch> pretraining = WordLanguageModel.fit(gan.gp, words, pretrainEpochs, batchSize,
        PRETRAIN_LEARNING_RATE, keys[2], keys[5], console);
    List<WordMetrics> history = new ArrayList<>();
    history.add(pretraining.isEmpty() ? measure("untrained", gan.writer, words, keys[5], console)
        : pretraining.get(pretraining.size() - 1).metrics());

    Dataset real = new Dataset(oneHot(words.train()), Nd4j.zeros(DataType.INT, words.train().size()));
    Batches batches = Batches.shuffled(real, batchSize, keys[3]).dropLast(true);
    gan.pretrainDiscriminator(batches, drawPool(gan.writer, words.train().size(), keys[6]), console);
    for (int epoch = 1, step = 0; epoch <= epochs; epoch++) {
      ProgressBar bar = ProgressBar.onConsole("epoch " + epoch + "/" + epochs, batches.count(),
          ProgressBar.Unit.COUNT, "words/s");
      double dSum = 0;
      double rewardSum = 0;
      for (Iterator<Batch> it = batches.epoch(DISCRIMINATOR_PRETRAIN_EPOCHS + epoch); it.hasNext(); step++) {
        List<String> drawn = WordLanguageModel.generate(gan.writer, batchSize, 1.0, keys[4].foldIn(step));
        INDArray fake = oneHot(drawn);
        double dLoss = gan.discriminatorStep(it.next().features(), fake);
        double reward = gan.generatorStep(drawn, fake);
        dSum += dLoss;
        rewardSum += reward;
        bar.status(String.format(Locale.ROOT, "d %.3f  reward %.3f", dLoss, reward));
        bar.advance(1, batchSize);
      }
      bar.finish();
      console.printf(Locale.ROOT, "epoch %d/%d:  discriminator loss %.4f  mean reward %.4f%n", epoch, epochs,
          dSum / batches.count(), rewardSum / batches.count());
      history.add(measure("epoch " + epoch, gan.writer, words, keys[5], console));
    }
    ParameterFiles.save(out.resolve("generator.safetensors"), G.variables(gan.gp));
    ParameterFiles.save(out.resolve("discriminator.safetensors"), D.variables(gan.dp));
    console.println("parameters: " + out.resolve("generator.safetensors"));
    return history;
  }

  /**
   * {@value #DISCRIMINATOR_PRETRAIN_EPOCHS} passes of the discriminator alone over the real words
   * against {@code pool}, words the pretrained generator drew.
   */
  private void pretrainDiscriminator(Batches real, List<String> pool, PrintStream console) {
    INDArray fakes = oneHot(pool);
    for (int epoch = 1; epoch <= DISCRIMINATOR_PRETRAIN_EPOCHS; epoch++) {
      ProgressBar bar = ProgressBar.onConsole("discriminator " + epoch + "/" + DISCRIMINATOR_PRETRAIN_EPOCHS,
          real.count(), ProgressBar.Unit.COUNT, "words/s");
      double sum = 0;
      int b = 0;
      for (Iterator<Batch> it = real.epoch(epoch); it.hasNext(); b++) {
        INDArray fake = fakes.get(NDArrayIndex.interval((long) b * batchSize, (long) (b + 1) * batchSize));
        double loss = discriminatorStep(it.next().features(), fake);
        sum += loss;
        bar.status(String.format(Locale.ROOT, "d %.3f", loss));
        bar.advance(1, batchSize);
      }
      bar.finish();
      console.printf(Locale.ROOT, "discriminator %d/%d:  loss %.4f%n", epoch, DISCRIMINATOR_PRETRAIN_EPOCHS,
          sum / real.count());
    }
  }

  /** {@code n} words drawn from the generator at temperature 1, a thousand at a time. */
  private static List<String> drawPool(UnaryOperator<INDArray> writer, int n, PRNGKey key) {
    List<String> pool = new ArrayList<>(n);
    for (int chunk = 0; pool.size() < n; chunk++) {
      pool.addAll(WordLanguageModel.generate(writer, Math.min(1000, n - pool.size()), 1.0, key.foldIn(chunk)));
    }
    return pool;
  }

  /** One discriminator update, {@code bce(D(real), 0.9) + bce(D(fake), 0)}; returns that loss. */
  private double discriminatorStep(INDArray real, INDArray fake) {
    double loss = BCE.valueAndGradient(D.forward(dp, real, realTape), realTargets, realTape.dLogit);
    D.backward(dp, realTape, realTape.dLogit, dGrads, false);
    loss += BCE.valueAndGradient(D.forward(dp, fake, fakeTape), zeros, fakeTape.dLogit);
    D.backward(dp, fakeTape, fakeTape.dLogit, dGradsFake, false);
    for (int i = 0; i < dGradLeaves.size(); i++) {
      dGradLeaves.get(i).addi(dGradFakeLeaves.get(i));
    }
    dAdam.update(dLeaves, dGradLeaves, dState);
    return loss;
  }

  /**
   * One REINFORCE update of the generator: the reward of each drawn word is the discriminator's
   * probability that it is real. Returns the mean reward.
   */
  private double generatorStep(List<String> drawn, INDArray fake) {
    INDArray rewards = Transforms.sigmoid(D.forward(dp, fake, fakeTape), true);
    Dataset sequences = WordLanguageModel.sequences(drawn);
    INDArray inputs = sequences.features();
    WordLstmModel.Tape t = gTapes.get(inputs);
    INDArray logits = G.forward(gp, inputs, t);
    INDArray weights = WordLanguageModel.realPositions(inputs).muliColumnVector(advantages(rewards).divi(batchSize));
    MaskedSoftmaxCrossEntropy.weightedSum(logits, sequences.labels(), weights, t.dLogits);
    G.backward(gp, t, t.dLogits, gGrads, false);
    gAdam.update(gLeaves, gGradLeaves, gState);
    return rewards.meanNumber().doubleValue();
  }

  /**
   * Each word's reward less the batch's mean: REINFORCE's baseline, which cuts the variance of the
   * gradient without biasing it.
   */
  static INDArray advantages(INDArray rewards) {
    return rewards.sub(rewards.meanNumber()).reshape(rewards.length(), 1);
  }

  private static WordMetrics measure(String when, UnaryOperator<INDArray> writer, WordList words, PRNGKey samples,
      PrintStream console) {
    List<String> drawn = WordLanguageModel.generate(writer, WordLanguageModel.MEASURED, 1.0, samples);
    WordMetrics metrics = WordMetrics.of(drawn, words);
    console.printf(Locale.ROOT, "%s:  %s%n  samples: %s%n", when, metrics, String.join(" ", drawn.subList(0, 12)));
    return metrics;
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
