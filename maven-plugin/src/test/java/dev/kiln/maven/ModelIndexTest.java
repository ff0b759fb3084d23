package dev.kiln.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelIndexTest {
  private static final List<String> TWO = List.of("com.example.CnnModel", "com.example.MlpModel");

  @TempDir
  Path classes;

  @Test
  void listsTheModelClassesTheProcessorRecorded() throws IOException {
    assertEquals(List.of(), ModelIndex.list(classes));
    Path index = Files.createDirectories(classes.resolve(ModelIndex.DIRECTORY));
    Files.writeString(index.resolve("com.example.MlpModel"), "com.example.MlpModel\n");
    Files.writeString(index.resolve("com.example.CnnModel"), "com.example.CnnModel\n");
    assertEquals(TWO, ModelIndex.list(classes));
  }

  @Test
  void aModelIsChosenByItsOwnNameOrItsRecordsQualifiedOrNot() {
    for (String name : List.of("Mlp", "MlpModel", "com.example.Mlp", "com.example.MlpModel")) {
      assertEquals("com.example.MlpModel", ModelIndex.choose(TWO, name), name);
    }
    assertEquals("com.example.CnnModel", ModelIndex.choose(List.of("com.example.CnnModel"), null));
  }

  @Test
  void anAmbiguousOrUnknownChoiceSaysWhatThereIs() {
    String several = assertThrows(IllegalArgumentException.class, () -> ModelIndex.choose(TWO, null)).getMessage();
    assertTrue(several.contains("has 2 models [com.example.CnnModel, com.example.MlpModel]"), several);
    String unknown = assertThrows(IllegalArgumentException.class, () -> ModelIndex.choose(TWO, "Lstm")).getMessage();
    assertTrue(unknown.startsWith("no model is named \"Lstm\": expected one of"), unknown);
    String none = assertThrows(IllegalArgumentException.class, () -> ModelIndex.choose(List.of(), null)).getMessage();
    assertTrue(none.contains("annotationProcessorPaths"), none);
  }
}
