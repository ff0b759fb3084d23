package dev.kiln.runtime.text;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.DatasetResolver;
import dev.kiln.runtime.text.SentimentSentences.Loaded;
import dev.kiln.runtime.text.SentimentSentences.Sentence;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Workload W2's data, made exactly as {@code WORKLOADS.md} prescribes so that every framework's W2
 * trains and tests on the same rows and ids: the 3,000 labelled sentences (IMDb, Amazon, Yelp in
 * file order), split by the fixed permutation {@code W2-split.txt} that ships with Kiln (NumPy's
 * {@code default_rng(0).permutation(3000)}: its first 2,400 rows train, its last 600 test), a
 * vocabulary built from the training sentences only (in split order, at most 10,000 tokens), and
 * every sentence encoded to 32 int32 ids ({@link Sequences}).
 *
 * @param train features int32 ids {@code [2400, 32]}, labels int32 {@code [2400]} (0 or 1)
 * @param test features int32 ids {@code [600, 32]}, labels int32 {@code [600]}
 * @param vocabulary built from {@code train}'s sentences; save it with the model
 * @param trainSentences the sentence of each training row, in row order
 * @param testSentences the sentence of each test row, in row order
 * @param loaded what the files gave, skipped rows counted ({@link Loaded#summary()} for a log line)
 */
public record W2Data(Dataset train, Dataset test, Vocabulary vocabulary, List<Sentence> trainSentences,
    List<Sentence> testSentences, Loaded loaded) {
  /** The number of labelled rows the split covers. */
  public static final int ROWS = 3000;
  /** The first {@code TRAIN_ROWS} entries of the split are training rows, the rest test rows. */
  public static final int TRAIN_ROWS = 2400;
  /** The vocabulary's cap, {@code <pad>} and {@code <unk>} not counted. */
  public static final int MAX_TOKENS = 10_000;
  /** Tokens kept per sentence. */
  public static final int LENGTH = 32;

  private static final String SPLIT_RESOURCE = "W2-split.txt";

  /** The sentences resolved in the standard order (environment, cache, download). */
  public static W2Data load() {
    return load(null, DatasetResolver.standard());
  }

  /** The sentences from {@code dir} (JSON or UCI form; null: the standard order). */
  public static W2Data load(Path dir) {
    return load(dir, DatasetResolver.standard());
  }

  /** The sentences from {@code dir} (JSON or UCI form; null: the standard order) via {@code resolver}. */
  public static W2Data load(Path dir, DatasetResolver resolver) {
    return of(SentimentSentences.load(dir, resolver));
  }

  /**
   * Splits, builds the vocabulary and encodes; fails, naming the files' counts, unless exactly
   * {@link #ROWS} labelled rows were loaded (the split would index other sentences).
   */
  public static W2Data of(Loaded loaded) {
    if (loaded.rows() != ROWS) {
      throw new IllegalArgumentException("W2's split covers " + ROWS + " labelled rows, but the files gave "
          + loaded.summary());
    }
    int[] split = split();
    List<Sentence> train = new ArrayList<>(TRAIN_ROWS);
    List<Sentence> test = new ArrayList<>(ROWS - TRAIN_ROWS);
    for (int i = 0; i < split.length; i++) {
      (i < TRAIN_ROWS ? train : test).add(loaded.sentences().get(split[i]));
    }
    Vocabulary vocabulary = Vocabulary.build(train.stream().map(s -> Tokenizer.tokens(s.text())).toList(), MAX_TOKENS);
    return new W2Data(dataset(train, vocabulary), dataset(test, vocabulary), vocabulary, List.copyOf(train),
        List.copyOf(test), loaded);
  }

  /**
   * The split: a permutation of {@code 0..2999}, row indexes into the labelled rows of imdb, amazon
   * and yelp in file order. Read from the resource, checked to be a permutation.
   */
  public static int[] split() {
    try (InputStream stream = W2Data.class.getResourceAsStream(SPLIT_RESOURCE)) {
      if (stream == null) {
        throw new IllegalStateException("resource " + SPLIT_RESOURCE + " is missing from the Kiln runtime");
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.US_ASCII));
      int[] split = in.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .mapToInt(Integer::parseInt).toArray();
      boolean[] seen = new boolean[ROWS];
      for (int row : split) {
        if (row < 0 || row >= ROWS || seen[row]) {
          throw new IllegalStateException(SPLIT_RESOURCE + " is not a permutation of 0.." + (ROWS - 1));
        }
        seen[row] = true;
      }
      if (split.length != ROWS) {
        throw new IllegalStateException(SPLIT_RESOURCE + " has " + split.length + " rows, expected " + ROWS);
      }
      return split;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Dataset dataset(List<Sentence> sentences, Vocabulary vocabulary) {
    Sequences sequences = Sequences.encode(sentences.stream().map(Sentence::text).toList(), vocabulary, LENGTH);
    int[] labels = sentences.stream().mapToInt(Sentence::label).toArray();
    return new Dataset(sequences.ids(), Nd4j.createFromArray(labels));
  }
}
