package dev.kiln.examples;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Batches;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.loss.MaskedSoftmaxCrossEntropy;
import dev.kiln.runtime.model.TapeCache;
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
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link WordLstm} trained as a language model: reading {@code START c1 .. cn} it predicts {@code
 * c1 .. cn END}, the loss being the cross-entropy of those n + 1 predictions (the padding after
 * them masked out), Adam. Words are then written one character at a time, each drawn from the
 * predicted distribution at a temperature.
 */
final class WordLanguageModel {
  private static final WordLstmModel MODEL = WordLstmModel.INSTANCE;
  /** The model reads the start id and up to 10 letters. */
  static final int STEPS = WordList.MAX_LENGTH + 1;
  /** Words generated after each epoch to measure validity, novelty and diversity. */
  static final int MEASURED = 1000;

  private WordLanguageModel() {}

  /**
   * Trains on {@code words.train()}; prints each epoch's mean loss (nats per character), the
   * metrics of 1,000 generated words and a few of them, and writes {@code params.safetensors}.
   * Returns each epoch's training loss.
   */
  static double[] train(WordList words, int epochs, int batchSize, double learningRate, long seed, Path out,
      PrintStream console) throws IOException {
    Files.createDirectories(out);
    console.print(MODEL.summary());
    PRNGKey[] keys = PRNGKey.of(seed).split(3); // parameters, shuffling, samples
    WordLstm params = MODEL.init(keys[0]);
    List<Epoch> history = fit(params, words, epochs, batchSize, learningRate, keys[1], keys[2], console);
    ParameterFiles.save(out.resolve("params.safetensors"), MODEL.variables(params));
    console.println("parameters: " + out.resolve("params.safetensors"));
    return history.stream().mapToDouble(Epoch::loss).toArray();
  }

  /** One epoch of {@link #fit}: its mean training loss (nats per character) and the metrics of words drawn after it. */
  record Epoch(double loss, WordMetrics metrics) {}

  /**
   * Trains {@code params} in place by maximum likelihood on {@code words.train()}, Adam, batches
   * shuffled with {@code shuffling}; after each epoch prints its mean loss, the metrics of 1,000
   * words drawn with {@code samples} and a few of them, and returns them.
   */
  static List<Epoch> fit(WordLstm params, WordList words, int epochs, int batchSize, double learningRate,
      PRNGKey shuffling, PRNGKey samples, PrintStream console) {
    WordLstm grads = MODEL.zerosLike(params);
    List<INDArray> leaves = MODEL.leaves(params);
    List<INDArray> gradLeaves = MODEL.leaves(grads);
    Optimizer adam = Optax.adam(learningRate);
    OptimizerState state = adam.init(leaves);
    TapeCache<WordLstmModel.Tape> tapes = new TapeCache<>(MODEL::tape, WordLstmModel.Tape::fits);
    Batches batches = Batches.shuffled(sequences(words.train()), batchSize, shuffling);
    List<Epoch> history = new ArrayList<>();
    for (int epoch = 1; epoch <= epochs; epoch++) {
      ProgressBar bar = ProgressBar.onConsole("epoch " + epoch + "/" + epochs, batches.count(),
          ProgressBar.Unit.COUNT, "words/s");
      double sum = 0;
      for (Iterator<Batch> it = batches.epoch(epoch); it.hasNext(); ) {
        Batch batch = it.next();
        INDArray inputs = batch.features();
        WordLstmModel.Tape t = tapes.get(inputs);
        INDArray logits = MODEL.forward(params, inputs, t);
        double loss = MaskedSoftmaxCrossEntropy.valueAndGradient(logits, batch.labels(), realPositions(inputs),
            t.dLogits);
        MODEL.backward(params, t, t.dLogits, grads, false);
        adam.update(leaves, gradLeaves, state);
        sum += loss;
        bar.status(String.format(Locale.ROOT, "loss %.3f", loss));
        bar.advance(1, inputs.size(0));
      }
      bar.finish();
      List<String> drawn = generate(params, MEASURED, 1.0, samples);
      history.add(new Epoch(sum / batches.count(), WordMetrics.of(drawn, words)));
      console.printf(Locale.ROOT, "epoch %d/%d:  loss %.4f nats per character%n  %s%n  samples: %s%n", epoch, epochs,
          sum / batches.count(), history.get(epoch - 1).metrics(), String.join(" ", drawn.subList(0, 12)));
    }
    return history;
  }

  /**
   * The training pairs: features {@code [START, c1 .. cn, 0 ..]} and labels {@code [c1 .. cn, END,
   * 0 ..]}, int32 {@code [N, 11]}.
   */
  static Dataset sequences(List<String> words) {
    int[] inputs = new int[words.size() * STEPS];
    int[] labels = new int[words.size() * STEPS];
    for (int w = 0; w < words.size(); w++) {
      int[] ids = Letters.ids(words.get(w), STEPS);
      inputs[w * STEPS] = Letters.START;
      System.arraycopy(ids, 0, inputs, w * STEPS + 1, STEPS - 1);
      System.arraycopy(ids, 0, labels, w * STEPS, STEPS);
    }
    long[] shape = {words.size(), STEPS};
    return new Dataset(Nd4j.createFromArray(inputs).reshape(shape), Nd4j.createFromArray(labels).reshape(shape));
  }

  /** 1 where a prediction counts: the input there is the start or a letter, not padding. */
  static INDArray realPositions(INDArray inputs) {
    return inputs.castTo(DataType.FLOAT).gt(0).castTo(DataType.FLOAT);
  }

  /**
   * {@code n} words, each character drawn from {@code softmax(logits / temperature)} after the
   * characters so far, until the end character or 10 letters. Word {@code i}'s draws use {@code key}
   * folded with the step, all words in one batch.
   */
  static List<String> generate(WordLstm params, int n, double temperature, PRNGKey key) {
    return generate(MODEL.predictor(params), n, temperature, key);
  }

  /**
   * {@link #generate(WordLstm, int, double, PRNGKey)} with {@code model}, a {@link
   * WordLstmModel#predictor}: one kept across calls reuses its buffers, so that a training loop
   * drawing words at every step leaves no garbage for the collector to find.
   */
  static List<String> generate(UnaryOperator<INDArray> model, int n, double temperature, PRNGKey key) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be positive, found " + temperature);
    }
    INDArray inputs = Nd4j.zeros(DataType.INT, n, STEPS);
    inputs.get(NDArrayIndex.all(), NDArrayIndex.point(0)).assign(Letters.START);
    StringBuilder[] words = new StringBuilder[n];
    boolean[] ended = new boolean[n];
    for (int i = 0; i < n; i++) {
      words[i] = new StringBuilder();
    }
    // the prediction at step t depends only on inputs 0..t, so the padding after them does not matter
    for (int t = 0; t < WordList.MAX_LENGTH; t++) {
      INDArray next = model.apply(inputs).get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all());
      int[] ids = JaxRandom.categorical(key.foldIn(t), next.div(temperature));
      for (int i = 0; i < n; i++) {
        if (ended[i] || ids[i] == Letters.END) {
          ended[i] = true;
          continue;
        }
        words[i].append(Letters.character(ids[i]));
        inputs.putScalar(i, t + 1, ids[i]);
      }
    }
    List<String> result = new ArrayList<>(n);
    for (StringBuilder w : words) {
      result.add(w.toString());
    }
    return result;
  }
}
