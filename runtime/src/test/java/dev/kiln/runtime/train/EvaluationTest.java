package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.runtime.data.Dataset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EvaluationTest {
  static final LogisticRegression.Model MODEL = new LogisticRegression.Model(2, 3);
  static final LogisticRegression PARAMS = new LogisticRegression(
      Nd4j.createFromArray(new float[][] {{1, -2, 0.5f}, {0.3f, 1, -1}}), Nd4j.createFromArray(0.1f, 0, -0.2f));

  @Test
  void batchedOutputsEqualOneForwardPassInDatasetOrder() {
    Dataset data = TrainTest.blobs(23, 4);
    INDArray expected = MODEL.apply(PARAMS, data.features());
    INDArray batched = Evaluation.predictInBatches(MODEL, PARAMS, data, 5);
    assertEquals(expected, batched);
  }

  @Test
  void reusesTheGivenArrayWhenItFits() {
    INDArray inputs = TrainTest.blobs(10, 4).features();
    INDArray into = Nd4j.create(DataType.FLOAT, 10, 3);
    assertSame(into, Evaluation.predictInBatches(x -> MODEL.apply(PARAMS, x), inputs, 4, into));
    assertEquals(MODEL.apply(PARAMS, inputs), into);
  }
}
