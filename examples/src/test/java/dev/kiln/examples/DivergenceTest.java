package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.train.Train;
import dev.kiln.runtime.train.TrainingDivergedException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A NaN loss in a generated model names the step and the first layer whose output is not finite. */
class DivergenceTest {
  private static final FashionMlpModel MODEL = FashionMlpModel.INSTANCE;

  @Test
  void aPoisonedWeightIsTracedToItsLayer() {
    FashionMlp params = MODEL.init(PRNGKey.of(0));
    params.logits().kernel().putScalar(new long[] {3, 4}, Float.NaN);
    var e = assertThrows(TrainingDivergedException.class, () -> train(images(), params));
    assertEquals(1, e.step());
    assertEquals("first non-finite layer output: logits: Dense(10)", e.where());
    assertTrue(e.getMessage().contains("loss is NaN at step 1 (epoch 1); first non-finite layer output: logits"),
        e.getMessage());
  }

  @Test
  void aNanPixelIsReportedAsTheInput() {
    INDArray images = images();
    images.putScalar(new long[] {5, 10, 10, 0}, Float.POSITIVE_INFINITY);
    var e = assertThrows(TrainingDivergedException.class, () -> train(images, MODEL.init(PRNGKey.of(0))));
    assertEquals("the input batch holds NaN or Inf", e.where());
  }

  private static INDArray images() {
    return Nd4j.rand(DataType.FLOAT, 16, 28, 28, 1);
  }

  private static void train(INDArray images, FashionMlp params) {
    INDArray labels = Nd4j.createFromArray(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5});
    Train.of(MODEL, t -> {
      t.data(new Dataset(images, labels), 16);
      t.initialParams(params);
      t.loss(Losses.softmaxCrossEntropy());
      t.optimizer(Optax.sgd(0.1));
      t.epochs(1);
      t.progress(false);
    });
  }
}
