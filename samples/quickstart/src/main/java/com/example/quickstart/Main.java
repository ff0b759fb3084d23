package com.example.quickstart;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.train.Metrics;
import dev.kiln.runtime.train.Train;
import dev.kiln.runtime.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains {@link FashionClassifier} on Fashion-MNIST and saves its parameters.
 * Arguments: [directory with the IDX files (default: Kiln finds or downloads them)] [epochs (default 2)]
 * [training examples to use (default all)].
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws IOException {
    Path dataDir = args.length > 0 ? Path.of(args[0]) : null;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Dataset all = FashionMnist.train(dataDir);
    Dataset train = args.length > 2 ? all.subset(0, Integer.parseInt(args[2])) : all;
    Dataset test = FashionMnist.test(dataDir);

    // FashionClassifierModel is generated from the record while the project compiles.
    FashionClassifierModel model = FashionClassifierModel.INSTANCE;
    System.out.print(model.summary());
    TrainingResult<FashionClassifier> result = Train.of(model, t -> {
      t.data(train, 64);
      t.loss(Losses.softmaxCrossEntropy());
      t.optimizer(Optax.adam(1e-3));
      t.epochs(epochs);
      t.evaluate(test, Metrics.accuracy());
    });

    Path params = Path.of("target", "fashion-classifier.safetensors");
    ParameterFiles.save(params, model.variables(result.params()));
    double[] accuracy = result.history().epochFigure("test_accuracy");
    System.out.printf(Locale.ROOT, "test accuracy %.4f after %d epochs; parameters in %s%n",
        accuracy[accuracy.length - 1], epochs, params);
  }
}
