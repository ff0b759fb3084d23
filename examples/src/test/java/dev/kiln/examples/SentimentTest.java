package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** W2 end to end on the UCI sentences the runtime's tests ship: training, then scoring sentences. */
class SentimentTest {
  @Test
  void trainsAnLstmThatScoresSentences(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("sentiment");
    Files.createDirectories(data);
    for (String file : List.of("imdb.json", "amazon.json", "yelp.json")) {
      try (InputStream in = SentimentTest.class.getResourceAsStream("/sentiment/" + file)) {
        Files.copy(in, data.resolve(file));
      }
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Path out = dir.resolve("run");
    Sentiment.train(data, 2, 64, 3e-3, 0, out, new PrintStream(log, true, StandardCharsets.UTF_8));
    String text = log.toString(StandardCharsets.UTF_8);
    double accuracy = Double.parseDouble(text.replaceAll("(?s).*test accuracy ([0-9.]+).*", "$1"));
    assertTrue(accuracy >= 0.70, "test accuracy " + accuracy);

    ByteArrayOutputStream scores = new ByteArrayOutputStream();
    Sentiment.predict(out.resolve("params.safetensors"), out.resolve("vocabulary.json"), List.of(),
        new BufferedReader(new StringReader("I loved this phone, it works great\n\nterrible, a waste of money\n")),
        new PrintStream(scores, true, StandardCharsets.UTF_8));
    List<String> lines = scores.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("positive"), lines.get(0));
    assertTrue(lines.get(1).startsWith("negative"), lines.get(1));
  }
}
