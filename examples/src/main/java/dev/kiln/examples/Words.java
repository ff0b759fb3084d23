package dev.kiln.examples;

import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.text.BigramSampler;
import dev.kiln.runtime.text.WordList;
import dev.kiln.runtime.text.WordMetrics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The word generators from the command line: {@code generate words} prints generated words, one a
 * line, and {@code generate metrics} their {@link WordMetrics}. The GAN's generator and the language
 * model, the same network trained two ways, load trained parameters; the bigram sampler is fitted to the training words on the spot.
 */
final class Words {
  /** What {@code --model} names. */
  enum Generator {
    GAN("runs/WordGan/generator.safetensors"),
    LSTM("runs/WordLstm/params.safetensors"),
    BIGRAM(null);

    final String defaultParams;

    Generator(String defaultParams) {
      this.defaultParams = defaultParams;
    }

    static Generator named(String name) {
      return switch (name) {
        case "gan" -> GAN;
        case "lstm" -> LSTM;
        case "bigram" -> BIGRAM;
        default -> throw new IllegalArgumentException("unknown word generator '" + name
            + "': expected gan, lstm or bigram");
      };
    }
  }

  private Words() {}

  /**
   * {@code n} words from {@code generator}.
   *
   * @param params the trained parameters (null: where {@code train} writes them); unused by the bigram sampler
   * @param wordList the word list (null: the standard resolution); only the bigram sampler reads it
   */
  static List<String> generate(Generator generator, int n, double temperature, Path params, Path wordList, long seed)
      throws IOException {
    if (n < 1) {
      throw new IllegalArgumentException("-n must be positive, found " + n);
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("--temperature must be positive, found " + temperature);
    }
    PRNGKey key = PRNGKey.of(seed);
    Path file = params != null ? params : generator.defaultParams == null ? null : Path.of(generator.defaultParams);
    return switch (generator) {
      case GAN, LSTM -> WordLanguageModel.generate(WordLstmModel.INSTANCE.fromFlax(ParameterFiles.load(file)), n,
          temperature, key);
      case BIGRAM -> BigramSampler.fit(WordList.load(wordList).train()).sample(n, temperature, key);
    };
  }

  /** Prints the words one a line, or with {@code metrics} their metrics against the word list. */
  static void print(List<String> words, boolean metrics, Path wordList, PrintStream out) {
    if (metrics) {
      out.println(WordMetrics.of(words, WordList.load(wordList)));
    } else {
      words.forEach(out::println);
    }
  }
}
