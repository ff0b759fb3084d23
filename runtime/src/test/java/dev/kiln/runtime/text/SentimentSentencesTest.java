package dev.kiln.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.DatasetResolver;
import dev.kiln.runtime.text.SentimentSentences.FileCount;
import dev.kiln.runtime.text.SentimentSentences.Loaded;
import dev.kiln.runtime.text.SentimentSentences.Sentence;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentimentSentencesTest {
  @TempDir Path dir;

  /** The npm form, ending with the unlabelled row the package really has, plus malformed rows. */
  static final String JSON = """
      [{"text":"A very, very slow-moving movie.  ","class":0},
       {"text":"He said \\"wow\\", and it\\u2019s true.  ","class":1},
       {"text":"label out of range","class":2},
       {"text":"label missing"},
       {"text":"label as a string","class":"1"},
       {"text":"   ","class":1},
       "not an object",
       {"text":"Great.","class":1},
       {"text":"","class":null}]
      """;

  /** The UCI form: a tab in the text, CRLF endings, then malformed rows and a blank last line. */
  static final String TSV = "Great phone.\t1\r\n"
      + "Bad\tvery bad.  \t0\r\n"
      + "no tab at all\n"
      + "label out of range\t2\n"
      + "label missing\t\n"
      + "\t1\n"
      + "Caf\u00e9 \u0085 fine\t 1 \n"
      + "\n";

  @Test
  void npmJsonSkipsAndCountsBadRows() throws IOException {
    Path file = Files.writeString(dir.resolve("imdb.json"), JSON);
    Loaded loaded = SentimentSentences.load(List.of(file));
    assertEquals(List.of(
        new Sentence("A very, very slow-moving movie.  ", 0),
        new Sentence("He said \"wow\", and it\u2019s true.  ", 1),
        new Sentence("Great.", 1)), loaded.sentences());
    assertEquals(List.of(new FileCount(file, 3, 6)), loaded.files());
    assertEquals(3, loaded.rows());
    assertEquals(6, loaded.skipped());
  }

  @Test
  void uciTabSeparatedSkipsAndCountsBadRows() throws IOException {
    Path file = dir.resolve("amazon_cells_labelled.txt");
    Files.write(file, TSV.getBytes(StandardCharsets.ISO_8859_1));
    Loaded loaded = SentimentSentences.load(List.of(file));
    assertEquals(List.of(
        new Sentence("Great phone.", 1),
        new Sentence("Bad\tvery bad.  ", 0),
        new Sentence("Caf\u00e9 \u0085 fine", 1)), loaded.sentences());
    assertEquals(List.of(new FileCount(file, 3, 5)), loaded.files());
  }

  @Test
  void filesKeepTheirOrderAndFormsMix() throws IOException {
    Path json = Files.writeString(dir.resolve("imdb.json"), JSON);
    Path tsv = Files.writeString(dir.resolve("yelp_labelled.txt"), TSV, StandardCharsets.ISO_8859_1);
    Loaded loaded = SentimentSentences.load(List.of(tsv, json));
    assertEquals(6, loaded.rows());
    assertEquals(11, loaded.skipped());
    assertEquals("Great phone.", loaded.sentences().get(0).text());
    assertEquals("Great.", loaded.sentences().get(5).text());
    assertEquals("6 labelled rows, 11 skipped (yelp_labelled.txt 3/5, imdb.json 3/6)", loaded.summary());
  }

  @Test
  void aFileNotInItsFormIsAnError() throws IOException {
    Path notJson = Files.writeString(dir.resolve("imdb.json"), "Great phone.\t1\n");
    var e = assertThrows(IOException.class, () -> SentimentSentences.load(List.of(notJson)));
    assertTrue(e.getMessage().startsWith(notJson + ": malformed JSON"), e.getMessage());
    Path object = Files.writeString(dir.resolve("amazon.json"), "{\"text\": \"x\", \"class\": 1}");
    e = assertThrows(IOException.class, () -> SentimentSentences.load(List.of(object)));
    assertTrue(e.getMessage().contains("expected a JSON list"), e.getMessage());
  }

  @Test
  void resolvesEitherFormInADirectory() throws IOException {
    Path uci = Files.createDirectories(dir.resolve("sentiment labelled sentences"));
    for (String name : List.of("imdb_labelled.txt", "amazon_cells_labelled.txt", "yelp_labelled.txt")) {
      Files.writeString(uci.resolve(name), TSV, StandardCharsets.ISO_8859_1);
    }
    var fromEnv = new DatasetResolver(Map.of("KILN_SENTIMENT", uci.toString()), dir.resolve("cache"), false);
    Loaded loaded = SentimentSentences.load(null, fromEnv);
    assertEquals(9, loaded.rows());
    assertEquals(uci.resolve("amazon_cells_labelled.txt"), loaded.files().get(1).file());

    Path npm = Files.createDirectories(dir.resolve("npm"));
    for (String name : SentimentSentences.FILES) {
      Files.writeString(npm.resolve(name), JSON);
    }
    assertEquals(9, SentimentSentences.load(npm, new DatasetResolver(Map.of(), dir, false)).rows());
  }

  @Test
  void anExplicitDirectoryWithoutTheFilesFailsAtOnce() {
    var e = assertThrows(IllegalStateException.class,
        () -> SentimentSentences.load(dir, new DatasetResolver(Map.of(), dir, false)));
    assertTrue(e.getMessage().contains("lacks [imdb.json, amazon.json, yelp.json]"), e.getMessage());
  }

  @Test
  void aCorruptResolvedFileNamesTheDataset() throws IOException {
    for (String name : SentimentSentences.FILES) {
      Files.writeString(dir.resolve(name), "[");
    }
    var e = assertThrows(UncheckedIOException.class,
        () -> SentimentSentences.load(dir, new DatasetResolver(Map.of(), dir, false)));
    assertTrue(e.getMessage().startsWith("UCI sentiment labelled sentences: " + dir.resolve("imdb.json")),
        e.getMessage());
  }
}
