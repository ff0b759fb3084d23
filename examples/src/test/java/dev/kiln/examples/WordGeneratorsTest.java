package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.text.Letters;
import dev.kiln.runtime.text.WordList;
import dev.kiln.runtime.text.WordMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The word GAN and the character language model on the small word list in the test resources. */
class WordGeneratorsTest {
  static final Path WORDS = words();
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  static Path words() {
    try {
      return Path.of(WordGeneratorsTest.class.getResource("/words-small.txt").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static WordList wordList() {
    try {
      return WordList.read(WORDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void languageModelPairsPredictEveryLetterAndTheEnd() {
    Dataset data = WordLanguageModel.sequences(List.of("cat", "abcdefghij"));
    assertArrayEquals(new int[] {Letters.START, 3, 1, 20, 0, 0, 0, 0, 0, 0, 0}, data.features().getRow(0).toIntVector());
    assertArrayEquals(new int[] {3, 1, 20, Letters.END, 0, 0, 0, 0, 0, 0, 0}, data.labels().getRow(0).toIntVector());
    assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0},
        WordLanguageModel.realPositions(data.features()).getRow(0).toFloatVector());
    // a ten-letter word: eleven predictions, the last of them the end
    assertEquals(11.0, WordLanguageModel.realPositions(data.features()).getRow(1).sumNumber().doubleValue());
    assertEquals(Letters.END, data.labels().getInt(1, 10));
  }

  @Test
  void languageModelLossFallsAndItWritesLetters(@TempDir Path out) throws IOException {
    double[] losses = WordLanguageModel.train(wordList(), 4, 32, 3e-3, 0, out, QUIET);
    assertTrue(losses[3] < losses[0] - 0.2, "losses per epoch " + Arrays.toString(losses));
    WordLstm params = WordLstmModel.INSTANCE.fromFlax(
        ParameterFiles.load(out.resolve("params.safetensors")));
    List<String> words = WordLanguageModel.generate(params, 50, 1.0, PRNGKey.of(2));
    assertEquals(50, words.size());
    assertTrue(words.stream().allMatch(w -> w.matches("[a-z]{0,10}")), words.toString());
  }

  @Test
  void ganPretrainsThenMeasuresItsWordsEachAdversarialEpoch(@TempDir Path out) throws IOException {
    WordList list = wordList();
    List<WordMetrics> history = WordGan.train(list, 1, 2, 32, 0, out, QUIET);
    assertEquals(3, history.size()); // after pretraining, then after each adversarial epoch
    assertEquals(WordLanguageModel.MEASURED, history.get(2).samples());
    WordLstm params = WordLstmModel.INSTANCE.fromFlax(ParameterFiles.load(out.resolve("generator.safetensors")));
    List<String> words = WordLanguageModel.generate(params, 30, 1.0, PRNGKey.of(1));
    assertEquals(30, words.size());
    assertTrue(words.stream().allMatch(w -> w.matches("[a-z]{0,10}")), words.toString());
  }

  @Test
  void advantagesAreRewardsLessTheirMean() {
    INDArray rewards = Nd4j.createFromArray(new float[][] {{0.1f}, {0.2f}, {0.6f}, {0.3f}});
    INDArray a = WordGan.advantages(rewards);
    assertArrayEquals(new long[] {4, 1}, a.shape());
    assertArrayEquals(new float[] {-0.2f, -0.1f, 0.3f, 0f}, a.reshape(4).toFloatVector(), 1e-6f);
  }

  @Test
  void ganTrainingDataIsOneHotPaddedWithTheEnd() {
    INDArray x = WordGan.oneHot(List.of("ox", "zebra"));
    assertArrayEquals(new long[] {2, WordList.MAX_LENGTH, Letters.COUNT}, x.shape());
    assertEquals(20.0, x.sumNumber().doubleValue());
    assertEquals(1f, x.getFloat(1, 0, Letters.id('z')));
    assertEquals(1f, x.getFloat(0, 9, Letters.END));
  }
}
