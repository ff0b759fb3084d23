package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.io.ParameterMismatchException;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.train.Metrics;
import dev.kiln.runtime.train.Train;
import dev.kiln.runtime.train.TrainingResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The default model end to end: training on a slice of Fashion-MNIST, checkpoints, input checks. */
class FashionMlpTest {
  private static final FashionMlpModel MODEL = FashionMlpModel.INSTANCE;

  @Test
  void trainsToAUsefulAccuracyOnASmallSlice(@TempDir Path dir) throws Exception {
    Path data = Path.of(FashionMlpTest.class.getResource("/fashion-mnist-small").toURI());
    Dataset train = FashionMnist.train(data);
    Dataset test = FashionMnist.test(data);
    TrainingResult<FashionMlp> result = Train.of(MODEL, t -> {
      t.data(train, 64);
      t.loss(Losses.softmaxCrossEntropy());
      t.optimizer(Optax.adam(1e-3));
      t.epochs(4);
      t.seed(0);
      t.evaluate(test, Metrics.accuracy());
      t.progress(false);
      t.lossCurve(dir.resolve("loss.png"));
    });
    double[] accuracy = result.history().epochFigure("test_accuracy");
    assertTrue(accuracy[accuracy.length - 1] >= 0.78, "test accuracy " + accuracy[accuracy.length - 1]);
    assertTrue(dir.resolve("loss.png").toFile().length() > 0);
  }

  @Test
  void checkpointsRoundTripByFlaxPath(@TempDir Path dir) throws Exception {
    FashionMlp params = MODEL.init(PRNGKey.of(7));
    Path file = dir.resolve("mlp.safetensors");
    ParameterFiles.save(file, MODEL.toFlax(params));
    FashionMlp loaded = MODEL.fromFlax(ParameterFiles.load(file));
    INDArray x = Nd4j.rand(3, 28, 28, 1);
    assertEquals(MODEL.apply(params, x), MODEL.apply(loaded, x));
  }

  @Test
  void loadingAnotherModelsParametersNamesEveryMismatch(@TempDir Path dir) throws Exception {
    Path w1 = dir.resolve("w1.safetensors");
    try (var in = FashionMlpTest.class.getResourceAsStream("/parity/ckpt/w1_params.safetensors")) {
      java.nio.file.Files.copy(in, w1);
    }
    ParameterMismatchException e = assertThrows(ParameterMismatchException.class,
        () -> MODEL.fromFlax(ParameterFiles.load(w1)));
    for (String path : new String[] {"hidden/kernel", "hidden/bias", "logits/kernel", "logits/bias", "conv1/kernel",
        "conv2/bias", "dense/kernel"}) {
      assertTrue(e.getMessage().contains(path), e.getMessage());
    }
  }

  @Test
  void aBatchOfTheWrongShapeIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MODEL.apply(MODEL.init(PRNGKey.of(0)), Nd4j.rand(4, 784)));
    assertEquals("FashionMlp expects input (B,28,28,1), found [4, 784]", e.getMessage());
    IllegalArgumentException ints = assertThrows(IllegalArgumentException.class,
        () -> MODEL.apply(MODEL.init(PRNGKey.of(0)), Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.INT, 2, 28, 28, 1)));
    assertEquals("FashionMlp expects floating-point values, found INT", ints.getMessage());
  }

  @Test
  void sameKeySameParameters() {
    Map<String, INDArray> a = MODEL.toFlax(MODEL.init(PRNGKey.of(3)));
    Map<String, INDArray> b = MODEL.toFlax(MODEL.init(PRNGKey.of(3)));
    assertEquals(a, b);
  }
}
