package dev.kiln.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
  @TempDir Path dir;

  private static final List<List<String>> SENTENCES = List.of(
      List.of("b", "a", "c"),
      List.of("a", "c", "d"),
      List.of("d", "e", "e"));

  @Test
  void byCountThenFirstAppearance() {
    Vocabulary v = Vocabulary.build(SENTENCES, 10);
    // a, c, d, e twice each (a first seen, then c, d, e), b once.
    assertEquals(List.of("<pad>", "<unk>", "a", "c", "d", "e", "b"), tokens(v));
    assertEquals(7, v.size());
    assertEquals(2, v.id("a"));
    assertEquals(6, v.id("b"));
    assertEquals(Vocabulary.UNK, v.id("zebra"));
    assertEquals(Vocabulary.UNK, v.id("<unk>"));
    assertEquals(Vocabulary.UNK, v.id(""));
  }

  @Test
  void theCapKeepsTheMostFrequent() {
    Vocabulary v = Vocabulary.build(SENTENCES, 2);
    assertEquals(List.of("<pad>", "<unk>", "a", "c"), tokens(v));
    assertEquals(Vocabulary.UNK, v.id("d"));
    assertEquals(2, Vocabulary.build(List.of(), 10).size());
    assertEquals(2, Vocabulary.build(SENTENCES, 0).size());
  }

  @Test
  void reservedIdsAndRange() {
    Vocabulary v = Vocabulary.build(SENTENCES, 10);
    assertEquals(0, Vocabulary.PAD);
    assertEquals("<pad>", v.token(Vocabulary.PAD));
    assertEquals("<unk>", v.token(Vocabulary.UNK));
    var e = assertThrows(IndexOutOfBoundsException.class, () -> v.token(7));
    assertTrue(e.getMessage().contains("token id 7 is past the vocabulary: expected 0..6"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(List.of(List.of("<pad>")), 10));
    assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(SENTENCES, -1));
  }

  @Test
  void saveAndLoadRoundTrip() throws IOException {
    Vocabulary v = Vocabulary.build(List.of(List.of("don't", "say", "\"quoted\"", "caf\u00e9", "a\\b", "don't")), 10);
    Path file = dir.resolve("sub").resolve("vocab.json");
    v.save(file);
    Vocabulary back = Vocabulary.load(file);
    assertEquals(tokens(v), tokens(back));
    assertEquals(v.id("caf\u00e9"), back.id("caf\u00e9"));
    String text = Files.readString(file);
    assertTrue(text.startsWith("{\"format\": \"kiln-vocabulary\", \"version\": 1, \"tokens\": [\n\"<pad>\",\n"), text);
    assertTrue(text.contains("\n\"\\\"quoted\\\"\",\n"), text);
    try (var files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList(), "no partial file is left behind");
    }
  }

  @Test
  void corruptFilesFailClearly() throws IOException {
    assertCorrupt("", "malformed JSON");
    assertCorrupt("{\"format\": \"kiln-vocabulary\", \"version\": 1, \"tokens\": [\"<pad>\", \"<unk>\"",
        "malformed JSON");
    assertCorrupt("[\"<pad>\", \"<unk>\"]", "expected a JSON object with \"format\": \"kiln-vocabulary\"");
    assertCorrupt("{\"format\": \"kiln-vocabulary\", \"version\": 2, \"tokens\": []}", "version 2 is not supported");
    assertCorrupt("{\"format\": \"kiln-vocabulary\", \"version\": 1}", "expected \"tokens\": a list of strings");
    assertCorrupt("{\"format\": \"kiln-vocabulary\", \"version\": 1, \"tokens\": [\"<pad>\", \"<unk>\", 7]}",
        "token 2 is \"7\": expected a non-empty string");
    assertCorrupt("{\"format\": \"kiln-vocabulary\", \"version\": 1, \"tokens\": [\"<pad>\", \"<unk>\", null]}",
        "token 2 is null");
    assertCorrupt("{\"format\": \"kiln-vocabulary\", \"version\": 1, \"tokens\": [\"<pad>\", \"<unk>\", \"a\", \"a\"]}",
        "token \"a\" has ids 2 and 3");
    assertCorrupt("{\"format\": \"kiln-vocabulary\", \"version\": 1, \"tokens\": [\"the\", \"<unk>\"]}",
        "the first tokens must be <pad> and <unk>");
    Path binary = dir.resolve("binary.json");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    var e = assertThrows(IOException.class, () -> Vocabulary.load(binary));
    assertTrue(e.getMessage().contains("not UTF-8 text"), e.getMessage());
    assertThrows(NoSuchFileException.class, () -> Vocabulary.load(dir.resolve("absent.json")));
  }

  private void assertCorrupt(String content, String expected) throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, content);
    var e = assertThrows(IOException.class, () -> Vocabulary.load(file));
    assertTrue(e.getMessage().startsWith(file + " is not a valid Kiln vocabulary file: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static List<String> tokens(Vocabulary v) {
    return java.util.stream.IntStream.range(0, v.size()).mapToObj(v::token).toList();
  }
}
