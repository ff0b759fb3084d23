package dev.kiln.runtime.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.DatasetResolver;
import dev.kiln.runtime.text.SentimentSentences.FileCount;
import dev.kiln.runtime.text.SentimentSentences.Loaded;
import dev.kiln.runtime.text.SentimentSentences.Sentence;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * End to end on the real sentences (the npm package's three JSON files, in test resources). The
 * expected ids and vocabulary figures were computed independently in Python with
 * {@code re.findall} and {@code Counter.most_common} over the same split.
 */
class W2DataTest {
  static Path dir;
  static W2Data data;

  @BeforeAll
  static void load() throws URISyntaxException {
    dir = Path.of(W2DataTest.class.getResource("/sentiment/imdb.json").toURI()).getParent();
    data = W2Data.load(dir, new DatasetResolver(Map.of(), dir.resolve("no-cache"), false));
  }

  @Test
  void threeThousandLabelledRowsAndTheThreeEmptyRowsSkipped() {
    Loaded loaded = data.loaded();
    assertEquals(3000, loaded.rows());
    assertEquals(3, loaded.skipped());
    assertEquals(List.of(new FileCount(dir.resolve("imdb.json"), 1000, 1),
        new FileCount(dir.resolve("amazon.json"), 1000, 1),
        new FileCount(dir.resolve("yelp.json"), 1000, 1)), loaded.files());
    assertEquals("3000 labelled rows, 3 skipped (imdb.json 1000/1, amazon.json 1000/1, yelp.json 1000/1)",
        loaded.summary());
  }

  @Test
  void splitAsW2SplitTxtSays() {
    int[] split = W2Data.split();
    assertEquals(3000, split.length);
    assertArrayEquals(new int[] {1432, 2618, 562}, new int[] {split[0], split[1], split[2]});
    assertEquals(1487, split[2399]);
    assertEquals(1381, split[2400]);
    assertEquals(607, split[2999]);

    assertEquals(2400, data.train().size());
    assertEquals(600, data.test().size());
    List<Sentence> all = data.loaded().sentences();
    assertEquals(all.get(1432), data.trainSentences().get(0));
    assertEquals(new Sentence("Low Quality.", 0), data.trainSentences().get(0));
    assertEquals(new Sentence("They really want to make your experience a good one.", 1),
        data.trainSentences().get(1));
    assertEquals(all.get(1487), data.trainSentences().get(2399));
    assertEquals(new Sentence("you can even take self portraits with the outside (exterior) display, very cool.", 1),
        data.testSentences().get(0));
    assertEquals(all.get(607), data.testSentences().get(599));
  }

  @Test
  void datasetsHoldIdsAndLabels() {
    assertArrayEquals(new long[] {2400, 32}, data.train().features().shape());
    assertArrayEquals(new long[] {600, 32}, data.test().features().shape());
    assertEquals(DataType.INT32, data.train().features().dataType());
    assertArrayEquals(new long[] {2400}, data.train().labels().shape());
    assertEquals(DataType.INT32, data.test().labels().dataType());
    assertEquals(1194, data.train().labels().sumNumber().intValue());
    assertEquals(306, data.test().labels().sumNumber().intValue());
    assertEquals(0, data.train().labels().getInt(0));

    int[] firstTrain = new int[32];
    firstTrain[0] = 282; // "low"
    firstTrain[1] = 66; // "quality"
    assertArrayEquals(firstTrain, data.train().features().getRow(0).toIntVector());
    int[] firstTest = new int[32];
    System.arraycopy(new int[] {22, 83, 72, 234, 462, 1, 16, 2, 596, 1, 4193, 18, 262}, 0, firstTest, 0, 13);
    assertArrayEquals(firstTest, data.test().features().getRow(0).toIntVector());
  }

  @Test
  void vocabularyFromTheTrainingRowsOnly() throws IOException {
    Vocabulary v = data.vocabulary();
    assertEquals(4632, v.size(), "4,630 distinct training tokens: under the 10,000 cap");
    assertEquals(List.of("the", "and", "i", "a", "is", "it", "to", "this", "of", "was"),
        List.of(v.token(2), v.token(3), v.token(4), v.token(5), v.token(6), v.token(7), v.token(8), v.token(9),
            v.token(10), v.token(11)));
    assertEquals("respect", v.token(4631));
    assertEquals(data.train().features().maxNumber().intValue(), 4631);
    assertTrue(data.test().features().maxNumber().intValue() < v.size());
  }

  @Test
  void vocabularyRoundTripsThroughAFile(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("vocabulary.json");
    data.vocabulary().save(file);
    Vocabulary back = Vocabulary.load(file);
    assertEquals(data.vocabulary().size(), back.size());
    Sequences again = Sequences.encode(data.testSentences().stream().map(Sentence::text).toList(), back, 32);
    assertEquals(data.test().features(), again.ids());
  }

  @Test
  void anotherRowCountIsRefusedNotSplit() {
    Loaded few = new Loaded(List.of(new Sentence("good", 1)), List.of(new FileCount(dir.resolve("x.json"), 1, 2)));
    var e = assertThrows(IllegalArgumentException.class, () -> W2Data.of(few));
    assertEquals("W2's split covers 3000 labelled rows, but the files gave 1 labelled rows, 2 skipped (x.json 1/2)",
        e.getMessage());
  }
}
