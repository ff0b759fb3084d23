package dev.kiln.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The models a build compiled, as the Kiln processor lists them in the class output: one file per
 * generated model class under {@code META-INF/kiln/models/}, holding the class's name.
 */
final class ModelIndex {
  /** The processor's {@code KilnProcessor.MODEL_INDEX}; the plugin does not depend on the processor. */
  static final String DIRECTORY = "META-INF/kiln/models";

  private ModelIndex() {}

  /** The generated model classes listed under {@code classesDirectory}, sorted; empty when none are. */
  static List<String> list(Path classesDirectory) throws IOException {
    Path index = classesDirectory.resolve(DIRECTORY);
    if (!Files.isDirectory(index)) {
      return List.of();
    }
    List<String> models = new ArrayList<>();
    try (Stream<Path> entries = Files.list(index)) {
      for (Path entry : entries.sorted().toList()) {
        models.add(Files.readString(entry, StandardCharsets.UTF_8).strip());
      }
    }
    return models;
  }

  /**
   * The model class {@code requested} names: a generated model class or its record, fully qualified
   * or simple ({@code com.example.Mlp}, {@code MlpModel}, {@code Mlp}). With nothing requested, the
   * only model there is.
   */
  static String choose(List<String> models, String requested) {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("no @Model records were compiled: is kiln-processor on the "
          + "maven-compiler-plugin's annotationProcessorPaths?");
    }
    if (requested == null || requested.isBlank()) {
      if (models.size() > 1) {
        throw new IllegalArgumentException("this project has " + models.size() + " models " + models
            + ": choose one with <model> or -Dkiln.model=NAME");
      }
      return models.get(0);
    }
    String wanted = requested.strip();
    List<String> matches = models.stream().filter(m -> names(m).contains(wanted)).toList();
    if (matches.size() != 1) {
      throw new IllegalArgumentException((matches.isEmpty() ? "no model is named " : "several models are named ")
          + "\"" + wanted + "\": expected one of " + models + " (or its record's name)");
    }
    return matches.get(0);
  }

  /** The names that pick a model class: itself and its record, each qualified or simple. */
  private static List<String> names(String modelClass) {
    String record = modelClass.substring(0, modelClass.length() - "Model".length());
    return List.of(modelClass, simple(modelClass), record, simple(record));
  }

  private static String simple(String name) {
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
