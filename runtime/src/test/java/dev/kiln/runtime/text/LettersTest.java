package dev.kiln.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LettersTest {
  @Test
  void wordsBecomeIdsPaddedWithEndAndBack() {
    assertArrayEquals(new int[] {3, 1, 20, 0, 0}, Letters.ids("cat", 5));
    assertEquals("cat", Letters.word(new int[] {3, 1, 20, 0, 0}));
    assertEquals("ca", Letters.word(new int[] {3, 1, 0, 20, 0}));
    assertEquals('.', Letters.character(Letters.END));
    assertEquals('z', Letters.character(26));
  }

  @Test
  void mistakesAreReported() {
    assertThrows(IllegalArgumentException.class, () -> Letters.ids("zebras", 5));
    assertThrows(IllegalArgumentException.class, () -> Letters.id('A'));
    assertThrows(IllegalArgumentException.class, () -> Letters.character(Letters.START));
  }
}
