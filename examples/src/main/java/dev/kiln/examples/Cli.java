package dev.kiln.examples;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.Metrics;
import dev.kiln.runtime.train.Train;
import dev.kiln.runtime.train.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Kiln's command line: {@code train} fits the default model on Fashion-MNIST and reports its test
 * accuracy; {@code summary} prints the model's table.
 *
 * <pre>
 * train [--model mlp|cnn|lenet] [--epochs N] [--batch-size N] [--lr X] [--seed N] [--data DIR] [--out DIR]
 * summary [--model mlp|cnn|lenet]
 * </pre>
 */
public final class Cli {
  private Cli() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "train" : args[0];
    Map<String, String> options = options(args);
    switch (command) {
      case "train" -> train(options);
      case "summary" -> System.out.print(model(options).summary());
      default -> {
        System.err.println("unknown command '" + command + "': expected train or summary");
        System.exit(2);
      }
    }
  }

  /** The models {@code --model} names: the WORKLOADS.md jobs on Fashion-MNIST. */
  private static ModelDefinition<?> model(Map<String, String> options) {
    String name = options.getOrDefault("model", "mlp");
    return switch (name) {
      case "mlp" -> FashionMlpModel.INSTANCE;
      case "cnn" -> FashionCnnModel.INSTANCE;
      case "lenet" -> FashionLeNetModel.INSTANCE;
      default -> throw new IllegalArgumentException("unknown model '" + name + "': expected mlp, cnn or lenet");
    };
  }

  private static void train(Map<String, String> options) throws Exception {
    train(model(options), options);
  }

  private static <P extends Record> void train(ModelDefinition<P> model, Map<String, String> options)
      throws Exception {
    int epochs = Integer.parseInt(options.getOrDefault("epochs", "3"));
    int batchSize = Integer.parseInt(options.getOrDefault("batch-size", "128"));
    double learningRate = Double.parseDouble(options.getOrDefault("lr", "1e-3"));
    long seed = Long.parseLong(options.getOrDefault("seed", "0"));
    Path out = Path.of(options.getOrDefault("out", "runs/" + model.name()));
    Path dataDir = options.containsKey("data") ? Path.of(options.get("data")) : null;
    Files.createDirectories(out);

    Dataset train = dataDir == null ? FashionMnist.train() : FashionMnist.train(dataDir);
    Dataset test = dataDir == null ? FashionMnist.test() : FashionMnist.test(dataDir);
    System.out.print(model.summary());
    long start = System.nanoTime();
    TrainingResult<P> result = Train.of(model, t -> {
      t.data(train, batchSize);
      t.loss(Losses.softmaxCrossEntropy());
      t.optimizer(Optax.adam(learningRate));
      t.epochs(epochs);
      t.seed(seed);
      t.evaluate(test, Metrics.accuracy());
      t.lossCurve(out.resolve("loss.png"));
    });
    double seconds = (System.nanoTime() - start) / 1e9;
    Path checkpoint = out.resolve("params.safetensors");
    ParameterFiles.save(checkpoint, model.variables(result.params()));
    History history = result.history();
    double[] accuracy = history.epochFigure("test_accuracy");
    System.out.printf(Locale.ROOT, "test accuracy %.4f after %d epochs (%.1f s, %.1f s per epoch)%n",
        accuracy[accuracy.length - 1], epochs, seconds, seconds / epochs);
    System.out.println("parameters: " + checkpoint + "   loss curve: " + out.resolve("loss.png"));
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        throw new IllegalArgumentException("expected --name value pairs after the command, found '" + args[i] + "'");
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }
}
