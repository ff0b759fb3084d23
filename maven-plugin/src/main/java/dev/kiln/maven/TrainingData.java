package dev.kiln.maven;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.DatasetResolver;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.data.IdxSource;
import dev.kiln.runtime.data.Mnist;
import java.nio.file.Path;
import java.util.Map;

/** The training and test examples a {@link TrainConfig} names, with the training set cut to its limit. */
record TrainingData(Dataset train, Dataset test) {
  static TrainingData load(TrainConfig config) {
    Path dir = config.dataDirectory();
    TrainingData all = switch (config.data()) {
      case "fashion-mnist" -> new TrainingData(FashionMnist.train(dir), FashionMnist.test(dir));
      case "mnist" -> new TrainingData(Mnist.train(dir), Mnist.test(dir));
      case "idx" -> {
        IdxSource files = new IdxSource("IDX files in " + dir, config.classes(), null, null, null, null, Map.of());
        yield new TrainingData(files.load("train", dir, DatasetResolver.standard()),
            files.load("t10k", dir, DatasetResolver.standard()));
      }
      default -> throw new IllegalStateException("unchecked data " + config.data());
    };
    int limit = config.limit();
    return limit == 0 || limit >= all.train().size() ? all : new TrainingData(all.train().subset(0, limit), all.test());
  }
}
