package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.checkpoint.Checkpoint;
import dev.kiln.runtime.io.FlaxMsgpack;
import dev.kiln.runtime.io.FlaxTrainState;
import dev.kiln.runtime.loss.Loss;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TrainTest {
  @TempDir Path dir;

  /** Three Gaussian blobs in 2-d, far enough apart to be linearly separable. */
  static Dataset blobs(int n, long seed) {
    Random r = new Random(seed);
    double[][] centres = {{3, 0}, {-3, 2}, {0, -3}};
    float[] x = new float[n * 2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      x[2 * i] = (float) (centres[y[i]][0] + r.nextGaussian() * 0.7);
      x[2 * i + 1] = (float) (centres[y[i]][1] + r.nextGaussian() * 0.7);
    }
    return new Dataset(Nd4j.create(x, new long[] {n, 2}, 'c'), Nd4j.createFromArray(y));
  }

  @Test
  void trainsLogisticRegressionToHighAccuracy() throws Exception {
    var model = new LogisticRegression.Model(2, 3);
    Path png = dir.resolve("curve.png");
    List<Map<String, Double>> seenEpochs = new ArrayList<>();
    long[] steps = {0};
    var run = Train.of(model, t -> {
      t.data(blobs(300, 1), 32);
      t.loss(new LogisticRegression.CrossEntropy());
      t.optimizer(new LogisticRegression.Sgd(0.2));
      t.epochs(3);
      t.seed(42);
      t.evaluate(blobs(150, 2), Metrics.accuracy());
      t.checkpointDir(dir.resolve("ckpt"));
      t.lossCurve(png);
      t.progress(false);
      t.callback(new Callback() {
        @Override
        public void onStep(int epoch, long step, double loss) {
          steps[0] = step;
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> figures) {
          seenEpochs.add(figures);
        }
      });
    });
    History h = run.history();
    assertEquals(3 * 10, h.steps(), "300 examples in batches of 32 is 10 batches (the last partial)");
    assertEquals(30, steps[0]);
    assertEquals(3, h.epochs().size());
    assertEquals(h.epochs(), seenEpochs);
    double accuracy = h.epochs().get(2).get("test_accuracy");
    assertTrue(accuracy > 0.9, "test accuracy " + accuracy);
    assertTrue(h.epochs().get(2).get("train_loss") < h.stepLosses()[0], "loss went down");

    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(Files.size(png) > 1000 && image.getWidth() > 500 && image.getHeight() > 300);

    Map<String, INDArray> saved = savedParams(dir.resolve("ckpt"));
    assertEquals(run.params().kernel(), saved.get("dense/kernel"));
    assertEquals(run.params().bias(), saved.get("dense/bias"));
  }

  /** The parameters of the checkpoint in {@code dir}. */
  static Map<String, INDArray> savedParams(Path dir) throws IOException {
    Checkpoint checkpoint = Checkpoint.load(dir.resolve(TrainingLoop.CHECKPOINT_FILE));
    @SuppressWarnings("unchecked")
    Map<String, Object> params = (Map<String, Object>) checkpoint.trainState().get(FlaxTrainState.PARAMS);
    return FlaxMsgpack.arrays(params);
  }

  @Test
  void sameSeedGivesSameRun() {
    double[][] losses = new double[2][];
    for (int i = 0; i < 2; i++) {
      losses[i] = Train.of(new LogisticRegression.Model(2, 3), t -> {
        t.data(blobs(100, 1), 16);
        t.loss(new LogisticRegression.CrossEntropy());
        t.optimizer(new LogisticRegression.Sgd(0.1));
        t.epochs(2);
        t.seed(7);
        t.progress(false);
      }).history().stepLosses();
    }
    assertArrayEquals(losses[0], losses[1]);
  }

  @Test
  void nanLossStopsNamingStepAndEpochAndKeepsLastCheckpoint() throws Exception {
    Loss base = new LogisticRegression.CrossEntropy();
    Loss explodes = new Loss() {
      int calls;

      @Override
      public double value(INDArray prediction, INDArray target) {
        return base.value(prediction, target);
      }

      @Override
      public double valueAndGradient(INDArray prediction, INDArray target, INDArray gradient) {
        double v = base.valueAndGradient(prediction, target, gradient);
        return ++calls == 13 ? Double.NaN : v;
      }
    };
    Path png = dir.resolve("nan.png");
    var e = assertThrows(TrainingDivergedException.class, () -> Train.of(new LogisticRegression.Model(2, 3), t -> {
      t.data(blobs(100, 1), 10);
      t.loss(explodes);
      t.optimizer(new LogisticRegression.Sgd(0.1));
      t.epochs(3);
      t.checkpointDir(dir.resolve("ckpt"));
      t.checkpointEvery(Duration.ZERO);
      t.lossCurve(png);
      t.progress(false);
    }));
    assertEquals(13, e.step());
    assertEquals(2, e.epoch());
    assertTrue(e.getMessage().contains("step 13 (epoch 2)"), e.getMessage());
    assertTrue(e.getMessage().contains("after step 12"), e.getMessage());
    Map<String, INDArray> saved = savedParams(dir.resolve("ckpt"));
    for (double v : saved.get("dense/kernel").ravel().toDoubleVector()) {
      assertTrue(Double.isFinite(v), "checkpoint holds the last good parameters");
    }
    assertTrue(Files.size(png) > 0, "the loss curve is drawn even when training stops");
  }

  @Test
  void parametersPoisonedByAFiniteLossAreNeverCheckpointed() throws Exception {
    Loss base = new LogisticRegression.CrossEntropy();
    Loss nanGradient = new Loss() {
      int calls;

      @Override
      public double value(INDArray prediction, INDArray target) {
        return base.value(prediction, target);
      }

      @Override
      public double valueAndGradient(INDArray prediction, INDArray target, INDArray gradient) {
        double v = base.valueAndGradient(prediction, target, gradient);
        if (++calls == 5) {
          gradient.putScalar(0, Double.NaN);
        }
        return v;
      }
    };
    var e = assertThrows(TrainingDivergedException.class, () -> Train.of(new LogisticRegression.Model(2, 3), t -> {
      t.data(blobs(100, 1), 10);
      t.loss(nanGradient);
      t.optimizer(new LogisticRegression.Sgd(0.1));
      t.epochs(1);
      t.checkpointDir(dir.resolve("ckpt"));
      t.checkpointEvery(Duration.ZERO);
      t.progress(false);
    }));
    assertEquals(5, e.step());
    assertTrue(Double.isFinite(e.loss()));
    assertTrue(e.where().startsWith("parameter dense/"), e.where());
    assertTrue(e.getMessage().contains("parameters became non-finite at step 5 (epoch 1"), e.getMessage());
    assertTrue(e.getMessage().contains("after step 4"), e.getMessage());
    for (INDArray saved : savedParams(dir.resolve("ckpt")).values()) {
      for (double v : saved.ravel().toDoubleVector()) {
        assertTrue(Double.isFinite(v), "checkpoint holds the last good parameters");
      }
    }
  }

  @Test
  void aNonFiniteInputIsNamedWhenTheStepKeepsNoLayerOutputs() {
    Dataset data = blobs(100, 1);
    data.features().putScalar(new long[] {3, 1}, Double.NaN);
    var e = assertThrows(TrainingDivergedException.class, () -> Train.of(new LogisticRegression.Model(2, 3), t -> {
      t.data(data, 100);
      t.loss(new LogisticRegression.CrossEntropy());
      t.optimizer(new LogisticRegression.Sgd(0.1));
      t.epochs(1);
      t.progress(false);
    }));
    assertEquals("the input batch holds NaN or Inf", e.where());
  }

  @Test
  void specListsEveryMissingSetting() {
    var e = assertThrows(IllegalArgumentException.class, () -> Train.of(new LogisticRegression.Model(2, 3), t -> {}));
    assertTrue(e.getMessage().contains("no training data"), e.getMessage());
    assertTrue(e.getMessage().contains("no loss"), e.getMessage());
    assertTrue(e.getMessage().contains("no optimizer"), e.getMessage());
  }

  @Test
  void specRejectsBadBatchSizeAndInputShape() {
    var e = assertThrows(IllegalArgumentException.class, () -> Train.of(new LogisticRegression.Model(5, 3), t -> {
      t.data(blobs(10, 1), 0);
      t.loss(new LogisticRegression.CrossEntropy());
      t.optimizer(new LogisticRegression.Sgd(0.1));
    }));
    assertTrue(e.getMessage().contains("batch size must be positive, found 0"), e.getMessage());
    assertTrue(e.getMessage().contains("training data examples have shape [2] but LogisticRegression expects input [5]"),
        e.getMessage());
  }

  @Test
  void augmentationSeesEveryTrainingBatchAndNoEvaluationBatch() {
    int[] calls = {0};
    Train.of(new LogisticRegression.Model(2, 3), t -> {
      t.data(blobs(100, 1), 16);
      t.loss(new LogisticRegression.CrossEntropy());
      t.optimizer(new LogisticRegression.Sgd(0.1));
      t.epochs(2);
      t.augment((features, key) -> calls[0]++);
      t.evaluate(blobs(50, 2), Metrics.accuracy());
      t.progress(false);
    });
    assertEquals(2 * 7, calls[0], "100 examples in batches of 16 is 7 batches per epoch");
  }
}
