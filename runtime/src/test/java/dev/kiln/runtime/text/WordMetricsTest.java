package dev.kiln.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WordMetricsTest {
  @Test
  void countsEverySampleAgainstDictionaryAndTrainingWords() {
    Set<String> dictionary = Set.of("cat", "dog", "emu", "owl");
    Set<String> training = Set.of("cat", "dog");
    // valid: cat, cat, emu (3 of 6); novel among them: emu (1 of 3); distinct: cat, emu, xqz, zzz (4 of 6)
    WordMetrics m = WordMetrics.of(List.of("cat", "cat", "emu", "xqz", "zzz", "zzz"), dictionary, training);
    assertEquals(6, m.samples());
    assertEquals(0.5, m.validity(), 1e-15);
    assertEquals(1.0 / 3, m.novelty(), 1e-15);
    assertEquals(4.0 / 6, m.diversity(), 1e-15);
  }

  @Test
  void noValidWordMeansNoNovelty() {
    WordMetrics m = WordMetrics.of(List.of("xqz"), Set.of("cat"), Set.of("cat"));
    assertEquals(0, m.validity());
    assertEquals(0, m.novelty());
    assertEquals(1, m.diversity());
    assertThrows(IllegalArgumentException.class, () -> WordMetrics.of(List.of(), Set.of(), Set.of()));
  }

  @Test
  void aWordListGivesItsWordsAndTrainingPart() {
    WordList list = WordList.of(List.of("cat", "dog", "emu", "owl", "yak"));
    List<String> samples = list.words();
    WordMetrics m = WordMetrics.of(samples, list);
    assertEquals(1, m.validity());
    assertEquals((double) list.heldOut().size() / samples.size(), m.novelty(), 1e-15);
  }
}
