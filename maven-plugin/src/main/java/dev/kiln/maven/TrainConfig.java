package dev.kiln.maven;

import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.optim.Optimizer;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The settings of {@code kiln:train}, from three layers: built-in defaults, then a properties file,
 * then the pom's {@code <configuration>} or {@code -Dkiln.*} (each wins over the one before). Keys
 * are the parameter names: {@code model}, {@code epochs}, {@code batchSize}, {@code optimizer},
 * {@code learningRate}, {@code seed}, {@code data}, {@code dataDirectory}, {@code classes},
 * {@code limit}, {@code outputDirectory}.
 *
 * @param model the model to train (see {@link ModelIndex#choose}); null for the project's only one
 * @param data {@code fashion-mnist}, {@code mnist} or {@code idx} (MNIST-style files in {@code dataDirectory})
 * @param dataDirectory where the IDX files are; null to let Kiln find Fashion-MNIST or MNIST
 * @param classes the number of classes of {@code idx} data
 * @param limit train on the first this many examples only (0: all), for a quick run
 * @param outputDirectory where parameters and the loss curve go; null for {@code target/kiln/<model>}
 */
record TrainConfig(String model, int epochs, int batchSize, String optimizer, double learningRate, long seed,
    String data, Path dataDirectory, int classes, int limit, Path outputDirectory) {
  static final Set<String> KEYS = Set.of("model", "epochs", "batchSize", "optimizer", "learningRate", "seed", "data",
      "dataDirectory", "classes", "limit", "outputDirectory");
  static final List<String> OPTIMIZERS = List.of("adam", "adamw", "sgd", "rmsprop");
  static final List<String> DATA = List.of("fashion-mnist", "mnist", "idx");
  private static final Map<String, String> DEFAULTS = Map.of("epochs", "1", "batchSize", "128", "optimizer", "adam",
      "learningRate", "0.001", "seed", "0", "data", "fashion-mnist", "classes", "10", "limit", "0");

  /**
   * Merges {@code file} (a properties file, or null) under {@code given} (the pom's values; a null
   * value is unset) over the defaults. Relative paths in the file are relative to the file, those
   * given in the pom to {@code baseDirectory}. Fails with every problem found.
   */
  static TrainConfig resolve(Path file, Map<String, String> given, Path baseDirectory) throws IOException {
    Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
    Map<String, Path> bases = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    if (file != null) {
      Properties properties = new Properties();
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(in);
      }
      Path fileBase = file.toAbsolutePath().getParent();
      for (String key : properties.stringPropertyNames()) {
        if (!KEYS.contains(key)) {
          problems.add(file + ": unknown key \"" + key + "\", expected one of " + KEYS.stream().sorted().toList());
        }
        values.put(key, properties.getProperty(key).strip());
        bases.put(key, fileBase);
      }
    }
    given.forEach((key, value) -> {
      if (value != null) {
        values.put(key, value.strip());
        bases.put(key, baseDirectory);
      }
    });
    TrainConfig config = new TrainConfig(values.get("model"),
        number(values, "epochs", Integer::valueOf, n -> n > 0, "positive", problems),
        number(values, "batchSize", Integer::valueOf, n -> n > 0, "positive", problems),
        choice(values, "optimizer", OPTIMIZERS, problems),
        number(values, "learningRate", Double::valueOf, x -> x > 0, "positive", problems),
        number(values, "seed", Long::valueOf, n -> true, "", problems),
        choice(values, "data", DATA, problems),
        path(values, bases, "dataDirectory"),
        number(values, "classes", Integer::valueOf, n -> n >= 2, "at least 2", problems),
        number(values, "limit", Integer::valueOf, n -> n >= 0, "0 (all) or more", problems),
        path(values, bases, "outputDirectory"));
    if ("idx".equals(config.data()) && config.dataDirectory() == null) {
      problems.add("data = idx needs dataDirectory, the directory with train-images-idx3-ubyte(.gz), "
          + "train-labels-idx1-ubyte(.gz) and the t10k files");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid kiln:train configuration:\n  " + String.join("\n  ", problems));
    }
    return config;
  }

  /** The optimizer named, as optax builds it with this learning rate and its own defaults. */
  Optimizer newOptimizer() {
    return switch (optimizer) {
      case "adam" -> Optax.adam(learningRate);
      case "adamw" -> Optax.adamw(learningRate);
      case "sgd" -> Optax.sgd(learningRate);
      case "rmsprop" -> Optax.rmsprop(learningRate);
      default -> throw new IllegalStateException("unchecked optimizer " + optimizer);
    };
  }

  private static <T extends Number> T number(Map<String, String> values, String key, Function<String, T> parse,
      Predicate<T> valid, String expected, List<String> problems) {
    String text = values.get(key);
    try {
      T value = parse.apply(text);
      if (!valid.test(value)) {
        problems.add(key + " must be " + expected + ", found " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      problems.add(key + " must be a number, found \"" + text + "\"");
      return parse.apply(DEFAULTS.get(key));
    }
  }

  private static String choice(Map<String, String> values, String key, List<String> allowed, List<String> problems) {
    String value = values.get(key);
    if (!allowed.contains(value)) {
      problems.add(key + " must be one of " + allowed + ", found \"" + value + "\"");
    }
    return value;
  }

  private static Path path(Map<String, String> values, Map<String, Path> bases, String key) {
    String value = values.get(key);
    return value == null || value.isEmpty() ? null : bases.get(key).resolve(value).normalize();
  }
}
