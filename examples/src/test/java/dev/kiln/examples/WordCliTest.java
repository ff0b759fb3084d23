package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.examples.CliTest.Result;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.random.PRNGKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate} and {@code train --model word-gan|word-lstm} on the small word list. */
class WordCliTest {
  private static final String WORDS = WordGeneratorsTest.WORDS.toString();

  private static List<String> lines(String text) {
    return text.lines().toList();
  }

  @Test
  void generatePrintsNWordsFromEachGenerator(@TempDir Path dir) throws Exception {
    Result bigram = CliTest.cli("generate", "words", "--model", "bigram", "-n", "7", "--data", WORDS);
    assertEquals(0, bigram.status(), bigram.err());
    assertEquals(7, lines(bigram.out()).size(), bigram.out());
    assertTrue(lines(bigram.out()).stream().allMatch(w -> w.matches("[a-z]{1,10}")), bigram.out());

    Path lstm = dir.resolve("lstm.safetensors");
    ParameterFiles.save(lstm, WordLstmModel.INSTANCE.variables(WordLstmModel.INSTANCE.init(PRNGKey.of(1))));
    Result fromLstm = CliTest.cli("generate", "words", "--model", "lstm", "-n", "5", "--temperature", "0.5",
        "--params", lstm.toString());
    assertEquals(0, fromLstm.status(), fromLstm.err());
    assertEquals(5, lines(fromLstm.out()).size(), fromLstm.out());

    Path gan = dir.resolve("gan.safetensors");
    ParameterFiles.save(gan, WordLstmModel.INSTANCE.variables(WordLstmModel.INSTANCE.init(PRNGKey.of(2))));
    Result fromGan = CliTest.cli("generate", "words", "--model", "gan", "-n", "3", "--params", gan.toString());
    assertEquals(0, fromGan.status(), fromGan.err());
    assertEquals(3, lines(fromGan.out()).size(), fromGan.out());
  }

  @Test
  void generateMetricsPrintsValidityNoveltyDiversity() {
    Result r = CliTest.cli("generate", "metrics", "--model", "bigram", "-n", "200", "--data", WORDS);
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().matches("validity 0\\.\\d{3}  novelty \\d\\.\\d{3}  diversity \\d\\.\\d{3}  \\(200 words\\)\\s*"),
        r.out());
  }

  @Test
  void generateMistakesAreUsageErrors() {
    Result unknown = CliTest.cli("generate", "words", "--model", "markov");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("unknown word generator 'markov': expected gan, lstm or bigram"), unknown.err());
    Result what = CliTest.cli("generate", "sentences", "--model", "bigram");
    assertEquals(2, what.status());
    assertTrue(what.err().contains("generate needs what to generate, images (the default), words or metrics"),
        what.err());
    Result cold = CliTest.cli("generate", "words", "--model", "bigram", "--temperature", "0", "--data", WORDS);
    assertEquals(2, cold.status());
    assertTrue(cold.err().contains("--temperature must be positive, found 0.0"), cold.err());
  }

  @Test
  void trainWordLstmPrintsSamplesAndWritesParameters(@TempDir Path out) {
    Result r = CliTest.cli("train", "--model", "word-lstm", "--epochs", "1", "--data", WORDS, "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("epoch 1/1:  loss ") && r.out().contains("samples: "), r.out());
    assertTrue(Files.isRegularFile(out.resolve("params.safetensors")));
  }

  @Test
  void trainOptionsThatDoNotApplyAreUsageErrors() {
    Result lr = CliTest.cli("train", "--model", "word-gan", "--lr", "0.1", "--data", WORDS);
    assertEquals(2, lr.status());
    assertTrue(lr.err().contains("--lr sets the word-lstm's learning rate; the word GAN's are fixed"), lr.err());
    Result pretrain = CliTest.cli("train", "--model", "word-lstm", "--pretrain-epochs", "2", "--data", WORDS);
    assertEquals(2, pretrain.status());
    assertTrue(pretrain.err().contains("--pretrain-epochs works with --model word-gan only, not with word-lstm"),
        pretrain.err());
  }

  @Test
  void trainWordGanPretrainsThenTrainsAdversarially(@TempDir Path out) {
    Result r = CliTest.cli("train", "--model", "word-gan", "--pretrain-epochs", "1", "--epochs", "1", "--data", WORDS,
        "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("pretraining the generator by maximum likelihood (epochs: 1)") && r.out().contains("epoch 1/1:  discriminator loss ")
        && r.out().contains("mean reward "), r.out());
    assertTrue(Files.isRegularFile(out.resolve("generator.safetensors")));
    assertTrue(Files.isRegularFile(out.resolve("discriminator.safetensors")));
  }
}
