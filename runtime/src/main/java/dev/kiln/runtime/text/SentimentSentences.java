package dev.kiln.runtime.text;

import dev.kiln.runtime.data.DatasetResolver;
import dev.kiln.runtime.data.TarballSource;
import dev.kiln.runtime.io.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The UCI "Sentiment Labelled Sentences" (Kotzias et al., 2015): 1,000 sentences each from IMDb,
 * Amazon and Yelp reviews, labelled 0 (negative) or 1 (positive). Two published forms are read:
 * <ul>
 *   <li>the npm package {@code sentiment}'s {@code test/fixtures/*.json}: a UTF-8 JSON list of
 *       {@code {"text": ..., "class": 0|1}} objects (each file ends with an unlabelled
 *       {@code {"text": "", "class": null}});
 *   <li>the UCI archive's {@code *_labelled.txt}: one {@code sentence<TAB>label} a line. The text is
 *       decoded as ISO-8859-1, which never fails: the archive is not consistently UTF-8, and the
 *       tokens (ASCII only) come out the same under any ASCII-compatible decoding.
 * </ul>
 * A file's form is told by its name: {@code .json} is the npm form, anything else tab-separated.
 * A row without non-blank text, or whose label is missing or not exactly 0 or 1, is skipped and
 * counted, never guessed; a file that is not in its form at all (malformed JSON, not a list) is an
 * error. Rows keep file order, files the order given: W2's split indexes them that way.
 */
public final class SentimentSentences {
  /** The canonical files, in W2's row order: IMDb, Amazon, Yelp. */
  public static final List<String> FILES = List.of("imdb.json", "amazon.json", "yelp.json");

  /**
   * Where the sentences are found: {@code KILN_SENTIMENT}, {@code ~/.cache/kiln/sentiment}, then the
   * npm tarball {@code sentiment@5.0.2}, checked against the registry's published
   * {@code dist.integrity}. A directory may hold the UCI archive's files instead of the JSON ones.
   */
  public static final TarballSource SOURCE = new TarballSource("UCI sentiment labelled sentences", "KILN_SENTIMENT",
      "sentiment", URI.create("https://registry.npmjs.org/sentiment/-/sentiment-5.0.2.tgz"),
      "sha512-ZeC3y0JsOYTdwujt5uOd7ILJNilbgFzUtg/LEG4wUv43LayFNLZ28ec8+Su+h3saHlJmIwYxBzfDHHZuiMA15g==",
      Map.of("imdb.json", "package/test/fixtures/imdb.json",
          "amazon.json", "package/test/fixtures/amazon.json",
          "yelp.json", "package/test/fixtures/yelp.json"),
      Map.of("imdb.json", List.of("imdb_labelled.txt"),
          "amazon.json", List.of("amazon_cells_labelled.txt"),
          "yelp.json", List.of("yelp_labelled.txt")));

  private SentimentSentences() {}

  /** One labelled sentence: its text as published and its label, 0 (negative) or 1 (positive). */
  public record Sentence(String text, int label) {}

  /** What one file gave: labelled rows kept and rows skipped. */
  public record FileCount(Path file, int rows, int skipped) {}

  /** The labelled sentences of all files in order, and what each file gave. */
  public record Loaded(List<Sentence> sentences, List<FileCount> files) {
    public Loaded {
      sentences = List.copyOf(sentences);
      files = List.copyOf(files);
    }

    /** The number of labelled rows kept. */
    public int rows() {
      return sentences.size();
    }

    /** The number of rows skipped, over all files. */
    public int skipped() {
      return files.stream().mapToInt(FileCount::skipped).sum();
    }

    /** For a log line: {@code 3000 labelled rows, 3 skipped (imdb.json 1000/1, ...)}. */
    public String summary() {
      StringBuilder out = new StringBuilder().append(rows()).append(" labelled rows, ").append(skipped())
          .append(" skipped (");
      for (int i = 0; i < files.size(); i++) {
        FileCount f = files.get(i);
        out.append(i > 0 ? ", " : "").append(f.file().getFileName()).append(' ').append(f.rows()).append('/')
            .append(f.skipped());
      }
      return out.append(")").toString();
    }
  }

  /** Resolves {@link #FILES} ({@code dir}, or null for the standard order) with {@code resolver} and loads them. */
  public static Loaded load(Path dir, DatasetResolver resolver) {
    List<Path> files = resolver.resolve(SOURCE, dir, FILES);
    try {
      return load(files);
    } catch (IOException e) {
      throw new UncheckedIOException(SOURCE.name() + ": " + e.getMessage(), e);
    }
  }

  /** Loads {@code files} in order, each in the form its name says. */
  public static Loaded load(List<Path> files) throws IOException {
    List<Sentence> sentences = new ArrayList<>();
    List<FileCount> counts = new ArrayList<>();
    for (Path file : files) {
      int before = sentences.size();
      int skipped = file.getFileName().toString().endsWith(".json")
          ? readJson(file, sentences)
          : readTabSeparated(file, sentences);
      counts.add(new FileCount(file, sentences.size() - before, skipped));
    }
    return new Loaded(sentences, counts);
  }

  /** Appends the labelled rows of an npm-form file; returns the number skipped. */
  private static int readJson(Path file, List<Sentence> into) throws IOException {
    Object json;
    try {
      json = Json.parse(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString());
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not UTF-8 text, so not the npm JSON form", e);
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
    if (!(json instanceof List<?> rows)) {
      throw new IOException(file + ": expected a JSON list of {\"text\": ..., \"class\": 0 or 1} objects");
    }
    int skipped = 0;
    for (Object row : rows) {
      if (row instanceof Map<?, ?> map && map.get("text") instanceof String text
          && map.get("class") instanceof Long label) {
        skipped += add(text, label, into) ? 0 : 1;
      } else {
        skipped++;
      }
    }
    return skipped;
  }

  /** Appends the labelled rows of a UCI-form file; returns the number skipped. */
  private static int readTabSeparated(Path file, List<Sentence> into) throws IOException {
    int skipped = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      String line;
      while ((line = in.readLine()) != null) {
        int tab = line.lastIndexOf('\t');
        boolean added = false;
        if (tab >= 0) {
          String label = line.substring(tab + 1).strip();
          added = (label.equals("0") || label.equals("1")) && add(line.substring(0, tab), Long.parseLong(label), into);
        }
        skipped += added ? 0 : 1;
      }
    }
    return skipped;
  }

  /** Adds the row if its text is not blank and its label is 0 or 1; returns whether it did. */
  private static boolean add(String text, long label, List<Sentence> into) {
    if (text.isBlank() || label != 0 && label != 1) {
      return false;
    }
    into.add(new Sentence(text, (int) label));
    return true;
  }
}
