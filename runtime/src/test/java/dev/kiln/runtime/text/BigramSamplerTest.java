package dev.kiln.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.random.PRNGKey;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BigramSamplerTest {
  private static final int A = Letters.id('a');
  private static final int B = Letters.id('b');

  @Test
  void probabilitiesAreTheCountedShares() {
    // START->a 3 times, ->b once; a->b 2, a->END 2; b->END 2, b->a 1, b->b 1
    BigramSampler s = BigramSampler.fit(List.of("ab", "aba", "a", "bb"));
    assertEquals(0.75, s.probability(Letters.START, A), 1e-15);
    assertEquals(0.25, s.probability(Letters.START, B), 1e-15);
    assertEquals(0.5, s.probability(A, B), 1e-15);
    assertEquals(0.5, s.probability(A, Letters.END), 1e-15);
    assertEquals(0.25, s.probability(B, A), 1e-15);
    assertEquals(0.25, s.probability(B, B), 1e-15);
    assertEquals(0.5, s.probability(B, Letters.END), 1e-15);
    assertEquals(0, s.probability(Letters.id('z'), A));
  }

  @Test
  void samplesFollowTheFittedChain() {
    // from "ab" and "ba": every step is a coin toss (first letter a or b; after a letter, the end or the other letter)
    BigramSampler s = BigramSampler.fit(List.of("ab", "ba"));
    List<String> words = s.sample(4000, 1.0, PRNGKey.of(3));
    Map<String, Long> counts = words.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertTrue(counts.keySet().stream().allMatch(w -> w.matches("(ab)*a?|(ba)*b?")), counts.toString());
    // P(ab) = P(start a) P(a -> b) P(b -> end) = 1/8, P(a) = 1/4
    assertEquals(0.125, counts.getOrDefault("ab", 0L) / 4000.0, 0.02);
    assertEquals(0.25, counts.getOrDefault("a", 0L) / 4000.0, 0.025);
    double firstA = words.stream().filter(w -> w.startsWith("a")).count() / 4000.0;
    assertEquals(0.5, firstA, 0.03);
  }

  @Test
  void lowTemperatureIsGreedierAndWordsStopAtTheLongestLength() {
    BigramSampler s = BigramSampler.fit(List.of("ab", "ab", "ab", "aab"));
    // START->a is certain, then b (4 of 5) beats a, then the end: at temperature 0.05 a->a weighs (1/4)^20 of a->b
    assertTrue(s.sample(300, 0.05, PRNGKey.of(0)).stream().allMatch("ab"::equals));
    assertTrue(s.sample(300, 1.0, PRNGKey.of(0)).contains("aab"));
    // a->a 9 of 10: cold samples repeat a until the longest length cuts them
    assertEquals(List.of("aaaaaaaaaa"), BigramSampler.fit(List.of("aaaaaaaaaa")).sample(1, 0.05, PRNGKey.of(1)));
    assertThrows(IllegalArgumentException.class, () -> s.sample(1, 0, PRNGKey.of(0)));
  }
}
