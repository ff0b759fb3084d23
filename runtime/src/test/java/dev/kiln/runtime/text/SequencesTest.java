package dev.kiln.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class SequencesTest {
  private final Vocabulary vocabulary = Vocabulary.build(List.of(List.of("good", "good", "bad", "film")), 10);

  @Test
  void padsCutsAndCountsRealTokens() {
    // ids: good=2, bad=3, film=4; anything else UNK=1.
    Sequences s = Sequences.encode(List.of("Good film!", "bad bad BAD good film odd", "", "??"), vocabulary, 4);
    assertEquals(DataType.INT32, s.ids().dataType());
    assertArrayEquals(new long[] {4, 4}, s.ids().shape());
    assertEquals('c', s.ids().ordering());
    assertArrayEquals(new int[] {2, 4, 0, 0}, s.ids().getRow(0).toIntVector());
    assertArrayEquals(new int[] {3, 3, 3, 2}, s.ids().getRow(1).toIntVector(), "keeps the first T tokens");
    assertArrayEquals(new int[] {0, 0, 0, 0}, s.ids().getRow(2).toIntVector());
    assertArrayEquals(new int[] {0, 0, 0, 0}, s.ids().getRow(3).toIntVector());
    assertArrayEquals(new int[] {2, 4, 0, 0}, s.lengths());
  }

  @Test
  void unknownTokensAreUnkNotPadding() {
    Sequences s = Sequences.encode(List.of("odd good strange"), vocabulary, 5);
    assertArrayEquals(new int[] {1, 2, 1, 0, 0}, s.ids().getRow(0).toIntVector());
    assertArrayEquals(new int[] {3}, s.lengths());
  }

  @Test
  void refusesNothingToEncode() {
    assertThrows(IllegalArgumentException.class, () -> Sequences.encode(List.of(), vocabulary, 32));
    assertThrows(IllegalArgumentException.class, () -> Sequences.encode(List.of("good"), vocabulary, 0));
  }
}
