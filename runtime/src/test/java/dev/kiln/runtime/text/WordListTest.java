package dev.kiln.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordListTest {
  @Test
  void keepsThreeToTenLowerCaseLettersOnce() {
    WordList list = WordList.of(List.of("cat", "cat's", "Paris", "ox", "zebra", "abcdefghij", "abcdefghijk",
        "café", "zebra", " dog ", "co-op"));
    assertEquals(List.of("abcdefghij", "cat", "dog", "zebra"), list.words());
  }

  @Test
  void splitIsTheDocumentedHashAndCoversEveryWordOnce() {
    // FNV-1a of "a" is 0xe40c292c, of "foobar" 0xbf9cf968 (the published test vectors)
    assertEquals(0xe40c292c, WordList.fnv1a("a"));
    assertEquals(0xbf9cf968, WordList.fnv1a("foobar"));
    List<String> lines = new ArrayList<>();
    for (char a = 'a'; a <= 'z'; a++) {
      for (char b = 'a'; b <= 'z'; b++) {
        lines.add("q" + a + b);
      }
    }
    WordList list = WordList.of(lines);
    assertEquals(list.words().size(), list.train().size() + list.heldOut().size());
    assertTrue(list.heldOut().stream().allMatch(WordList::isHeldOut));
    assertTrue(list.train().stream().noneMatch(WordList::isHeldOut));
    double share = (double) list.heldOut().size() / list.words().size();
    assertTrue(share > 0.06 && share < 0.14, "held-out share " + share);
    // a word's side does not depend on the other words
    assertEquals(WordList.isHeldOut("qab"), WordList.of(List.of("qab")).heldOut().contains("qab"));
  }

  @Test
  void resolvesExplicitFileThenEnvironmentThenDebian(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("words"), "apple\nbanana\n");
    assertEquals(file, WordList.resolve(file, Map.of(WordList.ENV, "/elsewhere")));
    assertEquals(Path.of("/elsewhere"), WordList.resolve(null, Map.of(WordList.ENV, "/elsewhere")));
    assertEquals(WordList.SYSTEM_FILE, WordList.resolve(null, Map.of()));
    assertEquals(List.of("apple", "banana"), WordList.load(null, Map.of(WordList.ENV, file.toString())).words());
  }

  @Test
  void unreadableOrEmptyListsAreExplained(@TempDir Path dir) throws IOException {
    String missing = assertThrows(UncheckedIOException.class,
        () -> WordList.load(dir.resolve("nope"), Map.of())).getMessage();
    assertTrue(missing.contains("nope") && missing.contains(WordList.ENV) && missing.contains("wamerican"), missing);
    Path empty = Files.writeString(dir.resolve("empty"), "A\nb's\n");
    String none = assertThrows(IOException.class, () -> WordList.read(empty)).getMessage();
    assertTrue(none.contains("holds no words"), none);
    assertFalse(none.isBlank());
  }
}
