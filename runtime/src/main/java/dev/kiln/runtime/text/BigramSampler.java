package dev.kiln.runtime.text;

import dev.kiln.runtime.random.JaxRandom;
import dev.kiln.runtime.random.PRNGKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The baseline word generator: a character-bigram Markov chain fitted by counting. Each word is read
 * as {@link Letters#START}, its letters, {@link Letters#END}; {@code P(next | previous)} is the
 * share of {@code previous}' successors that were {@code next} in the training words (no
 * smoothing, so it never writes a pair it has not seen). Sampling starts after {@code START} and
 * stops at {@code END} or after {@link WordList#MAX_LENGTH} letters.
 */
public final class BigramSampler {
  /** {@code counts[previous][next]}: previous in 0..27 (END never precedes), next in 0..26. */
  private final long[][] counts = new long[Letters.COUNT + 1][Letters.COUNT];

  private BigramSampler() {}

  /** Counts the bigrams of {@code words} (letters a-z, at most {@link WordList#MAX_LENGTH}). */
  public static BigramSampler fit(Collection<String> words) {
    BigramSampler sampler = new BigramSampler();
    for (String word : words) {
      int previous = Letters.START;
      for (int id : Letters.ids(word, word.length())) {
        sampler.counts[previous][id]++;
        previous = id;
      }
      sampler.counts[previous][Letters.END]++;
    }
    return sampler;
  }

  /** {@code P(next | previous)}; 0 for a {@code previous} never seen. */
  public double probability(int previous, int next) {
    long total = 0;
    for (long c : counts[previous]) {
      total += c;
    }
    return total == 0 ? 0 : (double) counts[previous][next] / total;
  }

  /**
   * {@code n} words; at temperature {@code t} each step draws with weights {@code P^(1/t)} (1 is
   * the fitted chain, lower is greedier). Word {@code i} uses the key {@code key.foldIn(i)}.
   */
  public List<String> sample(int n, double temperature, PRNGKey key) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be positive, found " + temperature);
    }
    List<String> words = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] u = JaxRandom.uniform(key.foldIn(i), 0f, 1f, WordList.MAX_LENGTH + 1).toFloatVector();
      StringBuilder word = new StringBuilder();
      int previous = Letters.START;
      for (int step = 0; step <= WordList.MAX_LENGTH; step++) {
        int next = draw(previous, temperature, u[step]);
        if (next == Letters.END || step == WordList.MAX_LENGTH) {
          break;
        }
        word.append(Letters.character(next));
        previous = next;
      }
      words.add(word.toString());
    }
    return words;
  }

  /** The successor of {@code previous} at which the cumulative tempered weight passes {@code u}. */
  private int draw(int previous, double temperature, double u) {
    double[] weights = new double[Letters.COUNT];
    double total = 0;
    for (int next = 0; next < weights.length; next++) {
      weights[next] = Math.pow(probability(previous, next), 1 / temperature);
      total += weights[next];
    }
    if (total == 0) {
      return Letters.END;
    }
    double target = u * total;
    int last = Letters.END;
    for (int next = 0; next < weights.length; next++) {
      if (weights[next] > 0) {
        last = next;
        target -= weights[next];
        if (target < 0) {
          return next;
        }
      }
    }
    return last; // rounding left target at or just above 0: the last possible successor
  }
}
