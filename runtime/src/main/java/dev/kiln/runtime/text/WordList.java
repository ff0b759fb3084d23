package dev.kiln.runtime.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * English words for the text generators: the lines of a word list (Debian's {@code wamerican},
 * {@code /usr/share/dict/words}) that are {@value #MIN_LENGTH} to {@value #MAX_LENGTH} lower-case
 * letters a-z, which drops proper nouns, possessives ({@code cat's}) and accented words; duplicates
 * removed, sorted.
 *
 * <p>The split is fixed per word, so it does not move when the list gains or loses other words: a
 * word is held out when the 32-bit FNV-1a hash of its ASCII bytes is divisible by
 * {@value #HELD_OUT_MODULUS} (about one word in ten), otherwise it trains. In Python: {@code h =
 * 0x811c9dc5; for b in word.encode(): h = ((h ^ b) * 0x01000193) & 0xffffffff; held_out = h % 10 ==
 * 0}.
 *
 * @param words every kept word, sorted: the dictionary validity is judged against
 * @param train the training words, sorted
 * @param heldOut the held-out words, sorted
 */
public record WordList(List<String> words, List<String> train, List<String> heldOut) {
  /** The shortest word kept. */
  public static final int MIN_LENGTH = 3;
  /** The longest word kept: the generators' sequence length. */
  public static final int MAX_LENGTH = 10;
  /** The environment variable naming a word list file. */
  public static final String ENV = "KILN_WORDS";
  /** Debian's {@code wamerican} list. */
  public static final Path SYSTEM_FILE = Path.of("/usr/share/dict/words");
  /** A word is held out when its hash is divisible by this. */
  public static final int HELD_OUT_MODULUS = 10;

  private static final Pattern KEPT = Pattern.compile("[a-z]{" + MIN_LENGTH + "," + MAX_LENGTH + "}");

  public WordList {
    words = List.copyOf(words);
    train = List.copyOf(train);
    heldOut = List.copyOf(heldOut);
  }

  /** The kept words among {@code lines}, split. */
  public static WordList of(Collection<String> lines) {
    Set<String> kept = new TreeSet<>();
    for (String line : lines) {
      String word = line.strip();
      if (KEPT.matcher(word).matches()) {
        kept.add(word);
      }
    }
    List<String> train = new ArrayList<>();
    List<String> heldOut = new ArrayList<>();
    for (String word : kept) {
      (isHeldOut(word) ? heldOut : train).add(word);
    }
    return new WordList(new ArrayList<>(kept), train, heldOut);
  }

  /** The word list in {@code file}, one word a line (UTF-8). */
  public static WordList read(Path file) throws IOException {
    WordList list = of(Files.readAllLines(file, StandardCharsets.UTF_8));
    if (list.words().isEmpty()) {
      throw new IOException(file + " holds no words of " + MIN_LENGTH + " to " + MAX_LENGTH
          + " lower-case letters a-z: expected a word list, one word a line");
    }
    return list;
  }

  /** The word list resolved in the standard order: {@code file}, then {@code $KILN_WORDS}, then Debian's. */
  public static WordList load(Path file) {
    return load(file, System.getenv());
  }

  /**
   * The word list from {@code file} when given, else the file {@value #ENV} names in {@code
   * environment}, else {@link #SYSTEM_FILE}.
   *
   * @throws UncheckedIOException when the chosen file cannot be read, saying where else to look
   */
  public static WordList load(Path file, Map<String, String> environment) {
    Path chosen = resolve(file, environment);
    try {
      return read(chosen);
    } catch (IOException e) {
      throw new UncheckedIOException(new IOException("cannot read the word list " + chosen + " (" + e.getMessage()
          + "); pass a word list file, set " + ENV + ", or install Debian's wamerican (" + SYSTEM_FILE + ")", e));
    }
  }

  /** Which file {@link #load(Path, Map)} reads. */
  static Path resolve(Path file, Map<String, String> environment) {
    if (file != null) {
      return file;
    }
    String env = environment.get(ENV);
    return env == null || env.isBlank() ? SYSTEM_FILE : Path.of(env);
  }

  /** Whether {@code word} belongs to the held-out part of any list containing it. */
  public static boolean isHeldOut(String word) {
    return Integer.remainderUnsigned(fnv1a(word), HELD_OUT_MODULUS) == 0;
  }

  /** The 32-bit FNV-1a hash of the word's characters (ASCII: one byte each). */
  static int fnv1a(String word) {
    int h = 0x811c9dc5;
    for (int i = 0; i < word.length(); i++) {
      h = (h ^ word.charAt(i)) * 0x01000193;
    }
    return h;
  }
}
