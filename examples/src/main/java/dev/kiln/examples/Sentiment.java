package dev.kiln.examples;

import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.text.Sequences;
import dev.kiln.runtime.text.Vocabulary;
import dev.kiln.runtime.text.W2Data;
import dev.kiln.runtime.train.Metrics;
import dev.kiln.runtime.train.Train;
import dev.kiln.runtime.train.TrainingResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * WORKLOADS.md W2 from the command line: trains {@link SentimentLstm} on the UCI sentiment
 * sentences and scores sentences with the saved parameters and the vocabulary saved beside them.
 */
final class Sentiment {
  private static final SentimentLstmModel MODEL = SentimentLstmModel.INSTANCE;
  private static final List<String> LABELS = List.of("negative", "positive");

  private Sentiment() {}

  /** Trains, evaluates per epoch, and writes {@code params.safetensors}, {@code vocabulary.json} and {@code loss.png}. */
  static void train(Path dataDir, int epochs, int batchSize, double learningRate, long seed, Path out,
      PrintStream console) throws IOException {
    Files.createDirectories(out);
    W2Data data = dataDir == null ? W2Data.load() : W2Data.load(dataDir);
    console.println(data.loaded().summary());
    console.print(MODEL.summary());
    PRNGKey key = PRNGKey.of(seed);
    // the DSL initialises with the first of the key's three parts; V comes from the data here
    SentimentLstm initial = MODEL.init(key.split(3)[0], data.vocabulary().size());
    long start = System.nanoTime();
    TrainingResult<SentimentLstm> result = Train.of(MODEL, t -> {
      t.data(data.train(), batchSize);
      t.initialParams(initial);
      t.loss(Losses.softmaxCrossEntropy());
      t.optimizer(Optax.adam(learningRate));
      t.epochs(epochs);
      t.key(key);
      t.evaluate(data.test(), Metrics.accuracy());
      t.lossCurve(out.resolve("loss.png"));
    });
    double seconds = (System.nanoTime() - start) / 1e9;
    ParameterFiles.save(out.resolve("params.safetensors"), MODEL.variables(result.params()));
    data.vocabulary().save(out.resolve("vocabulary.json"));
    double[] accuracy = result.history().epochFigure("test_accuracy");
    console.printf(Locale.ROOT, "test accuracy %.4f after %d epochs (%.1f s, %.2f s per epoch)%n",
        accuracy[accuracy.length - 1], epochs, seconds, seconds / epochs);
    console.println("parameters: " + out.resolve("params.safetensors") + "   vocabulary: "
        + out.resolve("vocabulary.json") + "   loss curve: " + out.resolve("loss.png"));
  }

  /**
   * Scores each sentence; with none given, reads sentences one per line from {@code in} (an
   * interactive prompt when it is a terminal) until end of input.
   */
  static void predict(Path paramsFile, Path vocabularyFile, List<String> sentences, BufferedReader in,
      PrintStream out) throws IOException {
    SentimentLstm params = MODEL.fromFlax(ParameterFiles.load(paramsFile));
    Vocabulary vocabulary = Vocabulary.load(vocabularyFile);
    long vocab = params.embed().embedding().size(0);
    if (vocab != vocabulary.size()) {
      throw new IllegalArgumentException(vocabularyFile + " has " + vocabulary.size() + " ids but " + paramsFile
          + " embeds " + vocab + ": pass the vocabulary saved with these parameters");
    }
    if (!sentences.isEmpty()) {
      for (String sentence : sentences) {
        out.println(score(params, vocabulary, sentence));
      }
      return;
    }
    boolean prompt = System.console() != null;
    while (true) {
      if (prompt) {
        out.print("> ");
        out.flush();
      }
      String line = in.readLine();
      if (line == null) {
        return;
      }
      if (!line.isBlank()) {
        out.println(score(params, vocabulary, line));
      }
    }
  }

  /** {@code positive 0.9312  <sentence>}: the likelier label and its probability. */
  private static String score(SentimentLstm params, Vocabulary vocabulary, String sentence) {
    INDArray ids = Sequences.encode(List.of(sentence), vocabulary, W2Data.LENGTH).ids();
    INDArray probabilities = Transforms.softmax(MODEL.apply(params, ids), true);
    int label = probabilities.getDouble(0, 1) >= 0.5 ? 1 : 0;
    return String.format(Locale.ROOT, "%-8s %.4f  %s", LABELS.get(label), probabilities.getDouble(0, label), sentence);
  }
}
