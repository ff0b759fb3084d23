package dev.kiln.runtime.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.runtime.testing.Parity;
import org.junit.jupiter.api.Test;

class PRNGKeyTest {
  private static int[] words(PRNGKey... keys) {
    int[] w = new int[keys.length * 2];
    for (int i = 0; i < keys.length; i++) {
      w[2 * i] = keys[i].hi();
      w[2 * i + 1] = keys[i].lo();
    }
    return w;
  }

  @Test
  void seedMatchesJax() {
    assertArrayEquals(Parity.ops().raw("rng/key42").toInts(), words(PRNGKey.of(42)));
    assertEquals(new PRNGKey(0, -1), PRNGKey.of(-1));
    assertEquals(new PRNGKey(0, 5), PRNGKey.of((1L << 32) + 5));
  }

  @Test
  void splitMatchesJax() {
    assertArrayEquals(Parity.ops().raw("rng/split").toInts(), words(PRNGKey.of(42).split()));
    assertArrayEquals(words(PRNGKey.of(42).split()), words(PRNGKey.of(42).split(3)[0], PRNGKey.of(42).split(3)[1]));
  }

  @Test
  void foldInMatchesJax() {
    PRNGKey key = PRNGKey.of(42);
    assertArrayEquals(Parity.ops().raw("rng/fold_in_7").toInts(), words(key.foldIn(7)));
    assertEquals(key.split(8)[7], key.foldIn(7));
  }

  @Test
  void printsUnsignedWords() {
    assertEquals("PRNGKey[0, 42]", PRNGKey.of(42).toString());
    assertEquals("PRNGKey[1832780943, 270669613]", PRNGKey.of(42).split()[0].toString());
    assertEquals("PRNGKey[0, 4294967295]", PRNGKey.of(-1).toString());
  }
}
