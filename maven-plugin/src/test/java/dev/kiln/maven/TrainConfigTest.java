package dev.kiln.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {
  @TempDir
  Path dir;

  @Test
  void nothingGivenMeansTheDefaults() throws IOException {
    TrainConfig c = TrainConfig.resolve(null, Map.of(), dir);
    assertNull(c.model());
    assertEquals(1, c.epochs());
    assertEquals(128, c.batchSize());
    assertEquals("adam", c.optimizer());
    assertEquals(1e-3, c.learningRate());
    assertEquals("fashion-mnist", c.data());
    assertNull(c.dataDirectory());
    assertEquals(0, c.limit());
  }

  @Test
  void thePomWinsOverTheFileAndEachPathIsRelativeToWhereItWasWritten() throws IOException {
    Path conf = Files.createDirectories(dir.resolve("conf")).resolve("train.properties");
    Files.writeString(conf, "model = Mlp\nepochs = 5\noptimizer = sgd\ndataDirectory = data\noutputDirectory = out\n");
    Map<String, String> pom = new HashMap<>();
    pom.put("epochs", "2");
    pom.put("outputDirectory", "runs");
    pom.put("seed", null);
    TrainConfig c = TrainConfig.resolve(conf, pom, dir.resolve("project"));
    assertEquals("Mlp", c.model());
    assertEquals(2, c.epochs());
    assertEquals("sgd", c.optimizer());
    assertEquals(0, c.seed());
    assertEquals(dir.resolve("conf/data"), c.dataDirectory());
    assertEquals(dir.resolve("project/runs"), c.outputDirectory());
  }

  @Test
  void everyProblemIsReportedAtOnce() throws IOException {
    Path conf = dir.resolve("train.properties");
    Files.writeString(conf, "epoch = 3\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.resolve(conf,
        Map.of("epochs", "0", "optimizer", "nadam", "learningRate", "fast", "data", "idx"), dir));
    String message = e.getMessage();
    assertTrue(message.contains("unknown key \"epoch\""), message);
    assertTrue(message.contains("epochs must be positive, found 0"), message);
    assertTrue(message.contains("optimizer must be one of [adam, adamw, sgd, rmsprop], found \"nadam\""), message);
    assertTrue(message.contains("learningRate must be a number, found \"fast\""), message);
    assertTrue(message.contains("data = idx needs dataDirectory"), message);
  }

  @Test
  void eachOptimizerNameBuildsItsOptaxOptimizer() throws IOException {
    for (String name : TrainConfig.OPTIMIZERS) {
      TrainConfig c = TrainConfig.resolve(null, Map.of("optimizer", name), dir);
      assertTrue(c.newOptimizer().getClass().getSimpleName().toLowerCase().startsWith(name.substring(0, 3)),
          name + " built " + c.newOptimizer().getClass());
    }
  }
}
