package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.io.ParameterMismatchException;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.text.Sequences;
import dev.kiln.runtime.text.Tokenizer;
import dev.kiln.runtime.text.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchScorerTest {
  private static final TinyNetModel MODEL = TinyNetModel.INSTANCE;

  @Test
  void scoresImageArraysPartitionByPartitionAsTheModelDoesInOneProcess(@TempDir Path dir) throws Exception {
    TinyNet params = MODEL.init(PRNGKey.of(3));
    Path checkpoint = dir.resolve("tiny.safetensors");
    ParameterFiles.save(checkpoint, MODEL.variables(params));
    int[] labels = new int[30];
    List<float[]> images = SparkTestData.images(30, 4, labels);

    List<Row> scored = new BatchScorer<>(() -> TinyNetModel.INSTANCE, checkpoint, Featurizer.numbers(), 4)
        .score(SparkTestData.frame(images, labels, 3), "image").collectAsList();

    float[] all = new float[30 * 36];
    for (int i = 0; i < 30; i++) {
      System.arraycopy(images.get(i), 0, all, i * 36, 36);
    }
    assertMatches(MODEL.apply(params, Nd4j.createFromArray(all).reshape(30, 6, 6, 1)), scored, 2);
  }

  @Test
  void scoresBinaryImagesAsUnsignedBytePixels(@TempDir Path dir) throws Exception {
    TinyNet params = MODEL.init(PRNGKey.of(5));
    Path checkpoint = dir.resolve("tiny.safetensors");
    ParameterFiles.save(checkpoint, MODEL.variables(params));
    List<Row> rows = new ArrayList<>();
    float[] pixels = new float[10 * 36];
    for (int i = 0; i < 10; i++) {
      byte[] image = new byte[36];
      for (int p = 0; p < 36; p++) {
        int value = (i * 37 + p * 11) % 256;
        image[p] = (byte) value;
        pixels[i * 36 + p] = value / 255f;
      }
      rows.add(RowFactory.create("item" + i, image));
    }
    StructType schema = new StructType().add("id", DataTypes.StringType).add("png", DataTypes.BinaryType);
    Dataset<Row> frame = SparkTestData.spark().createDataFrame(rows, schema);

    List<Row> scored = new BatchScorer<>(() -> TinyNetModel.INSTANCE, checkpoint, Featurizer.numbers(), 3)
        .score(frame, "png").collectAsList();

    assertEquals("item0", scored.get(0).getString(0), "input columns are kept");
    assertMatches(MODEL.apply(params, Nd4j.createFromArray(pixels).reshape(10, 6, 6, 1)), scored, 2);
  }

  @Test
  void scoresTextsThroughTheSavedVocabulary(@TempDir Path dir) throws Exception {
    List<String> texts = List.of("a fine film", "a dull film , really dull", "fine", "what a film this was");
    Vocabulary vocabulary = Vocabulary.build(texts.stream().map(Tokenizer::tokens).toList(), 100);
    Path vocabularyFile = dir.resolve("vocabulary.json");
    vocabulary.save(vocabularyFile);
    TinyText params = TinyTextModel.INSTANCE.init(PRNGKey.of(1), vocabulary.size());
    Path checkpoint = dir.resolve("text.safetensors");
    ParameterFiles.save(checkpoint, TinyTextModel.INSTANCE.variables(params));
    List<Row> rows = texts.stream().map(t -> RowFactory.create(t)).toList();
    Dataset<Row> frame = SparkTestData.spark().createDataFrame(
        JavaSparkContext.fromSparkContext(SparkTestData.spark().sparkContext()).parallelize(rows, 2),
        new StructType().add("review", DataTypes.StringType));

    List<Row> scored = new BatchScorer<>(() -> TinyTextModel.INSTANCE, checkpoint,
        Featurizer.texts(vocabularyFile.toString(), 5), 8).score(frame, "review").collectAsList();

    INDArray ids = Sequences.encode(texts, vocabulary, 5).ids();
    assertMatches(TinyTextModel.INSTANCE.apply(params, ids), scored, 1);
  }

  @Test
  void aCheckpointOfAnotherModelFailsOnTheDriverNamingTheMismatch(@TempDir Path dir) throws Exception {
    LinkedHashMap<String, INDArray> variables = MODEL.variables(MODEL.init(PRNGKey.of(0)));
    variables.remove("logits/bias");
    Path checkpoint = dir.resolve("partial.safetensors");
    ParameterFiles.save(checkpoint, variables);
    int[] labels = new int[4];
    Dataset<Row> frame = SparkTestData.frame(SparkTestData.images(4, 0, labels), labels, 1);

    var error = assertThrows(ParameterMismatchException.class,
        () -> new BatchScorer<>(() -> TinyNetModel.INSTANCE, checkpoint, Featurizer.numbers(), 4).score(frame, "image"));
    assertTrue(error.getMessage().contains("logits/bias"), error.getMessage());
  }

  /**
   * Each row's prediction is the argmax of the expected logits and its probability the softmax there
   * (for one logit: class 1 when its sigmoid passes 0.5, and that class's probability).
   */
  private static void assertMatches(INDArray logits, List<Row> scored, int outputColumnsBefore) {
    assertEquals(logits.size(0), scored.size());
    for (int i = 0; i < scored.size(); i++) {
      Row row = scored.get(i);
      INDArray z = logits.getRow(i);
      int best;
      double probability;
      if (z.length() == 1) {
        double positive = 1 / (1 + Math.exp(-z.getDouble(0)));
        best = positive > 0.5 ? 1 : 0;
        probability = Math.max(positive, 1 - positive);
      } else {
        best = z.argMax().getInt(0);
        probability = softmaxAt(z, best);
      }
      assertEquals(best, row.getInt(outputColumnsBefore), "prediction of row " + i);
      assertEquals(probability, row.getDouble(outputColumnsBefore + 1), 1e-6, "probability of row " + i);
    }
  }

  private static double softmaxAt(INDArray logits, int k) {
    double sum = 0;
    for (int j = 0; j < logits.length(); j++) {
      sum += Math.exp(logits.getDouble(j) - logits.getDouble(k));
    }
    return 1 / sum;
  }
}
