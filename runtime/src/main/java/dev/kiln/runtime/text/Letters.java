package dev.kiln.runtime.text;

/**
 * The character ids of the word generators: {@link #END} (0, written {@code '.'}) ends a word and
 * pads it to a fixed length, letters a-z are 1 to 26. A language model reads one more id,
 * {@link #START} (27), before the first letter.
 */
public final class Letters {
  /** End of word, also the padding after it. */
  public static final int END = 0;
  /** The number of ids a generator emits: end plus 26 letters. */
  public static final int COUNT = 27;
  /** The id a language model starts every word with; never emitted. */
  public static final int START = 27;

  private Letters() {}

  /** The id of a letter a-z. */
  public static int id(char letter) {
    if (letter < 'a' || letter > 'z') {
      throw new IllegalArgumentException("'" + letter + "' is not a letter a-z");
    }
    return letter - 'a' + 1;
  }

  /** The character of an id: {@code '.'} for {@link #END}, a letter for 1 to 26. */
  public static char character(int id) {
    if (id < 0 || id >= COUNT) {
      throw new IllegalArgumentException("id " + id + " is not a letter id: expected 0 to " + (COUNT - 1));
    }
    return id == END ? '.' : (char) ('a' + id - 1);
  }

  /** {@code word}'s letter ids followed by {@link #END} up to {@code length}. */
  public static int[] ids(String word, int length) {
    if (word.length() > length) {
      throw new IllegalArgumentException("'" + word + "' has " + word.length() + " letters: expected at most " + length);
    }
    int[] ids = new int[length];
    for (int i = 0; i < word.length(); i++) {
      ids[i] = id(word.charAt(i));
    }
    return ids;
  }

  /** The word spelled by {@code ids} up to the first {@link #END}. */
  public static String word(int[] ids) {
    StringBuilder word = new StringBuilder();
    for (int id : ids) {
      if (id == END) {
        break;
      }
      word.append(character(id));
    }
    return word.toString();
  }
}
