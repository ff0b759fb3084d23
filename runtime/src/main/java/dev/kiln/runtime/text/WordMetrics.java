package dev.kiln.runtime.text;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How good a batch of generated words is, each sample counted (a repeated word counts every time).
 *
 * @param samples the number of generated words
 * @param validity the share of samples that are dictionary words (in {@link WordList#words()})
 * @param novelty the share of valid samples that are not training words (held-out words the
 *     generator was never shown); 0 when none is valid
 * @param diversity distinct samples over samples; low values mean mode collapse
 */
public record WordMetrics(int samples, double validity, double novelty, double diversity) {
  /** The metrics of {@code generated} against a word list. */
  public static WordMetrics of(List<String> generated, WordList words) {
    return of(generated, new HashSet<>(words.words()), new HashSet<>(words.train()));
  }

  /** The metrics of {@code generated} against a dictionary and the training words within it. */
  public static WordMetrics of(List<String> generated, Set<String> dictionary, Collection<String> training) {
    if (generated.isEmpty()) {
      throw new IllegalArgumentException("no generated words to measure");
    }
    Set<String> trainingSet = training instanceof Set<String> s ? s : new HashSet<>(training);
    int valid = 0;
    int novel = 0;
    for (String word : generated) {
      if (dictionary.contains(word)) {
        valid++;
        if (!trainingSet.contains(word)) {
          novel++;
        }
      }
    }
    int n = generated.size();
    return new WordMetrics(n, (double) valid / n, valid == 0 ? 0 : (double) novel / valid,
        (double) new HashSet<>(generated).size() / n);
  }

  /** {@code validity 0.123  novelty 0.045  diversity 0.987  (1000 words)}. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "validity %.3f  novelty %.3f  diversity %.3f  (%d words)", validity, novelty,
        diversity, samples);
  }
}
