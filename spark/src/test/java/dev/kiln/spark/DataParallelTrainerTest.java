package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Batches;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.loss.Loss;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.model.TrainStep;
import dev.kiln.runtime.optim.Optax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DataParallelTrainerTest {
  private static final TinyNetModel MODEL = TinyNetModel.INSTANCE;
  private static final int EXAMPLES = 48;
  private static final int LOCAL_BATCH = 4;
  private static final long SEED = 7;

  private static Recipe<TinyNet> adam() {
    return new Recipe<>(() -> TinyNetModel.INSTANCE, Losses::softmaxCrossEntropy, () -> Optax.adam(0.01));
  }

  @ParameterizedTest
  @EnumSource(Exchange.class)
  void gradientAveragingEqualsSingleProcessTrainingOnTheGlobalBatch(Exchange exchange) {
    int workers = 3;
    int steps = 6; // 4 batches per shard epoch: crosses into a reshuffled second epoch
    int[] labels = new int[EXAMPLES];
    var images = SparkTestData.images(EXAMPLES, 1, labels);
    DataParallelResult<TinyNet> result = new DataParallelTrainer<>(adam(),
        DataParallelSpec.of(LOCAL_BATCH, steps, SEED).exchange(exchange))
        .fit(SparkTestData.frame(images, labels, workers), "image", "label", workers);

    double[] losses = new double[steps];
    TrainStep<TinyNet> reference = singleProcess(images, labels, workers, steps, losses);

    assertEquals(workers, result.replicas());
    assertEquals(workers * LOCAL_BATCH, result.globalBatch());
    assertClose(MODEL.toFlax(reference.params()), MODEL.toFlax(result.params()));
    for (int step = 0; step < steps; step++) {
      assertEquals(losses[step], result.losses()[step], 1e-6 * Math.abs(losses[step]), "loss of step " + step);
    }
    assertTrue(losses[steps - 1] < losses[0], "training lowers the loss: " + losses[0] + " -> " + losses[steps - 1]);
    long parameters = MODEL.parameterShapes().values().stream().mapToLong(s -> java.util.Arrays.stream(s)
        .reduce(1, (a, b) -> a * b)).sum();
    if (exchange == Exchange.ALL_GATHER) {
      assertEquals(4 * parameters, result.rawBytesPerExchange(), "float32 gradients, each sent once per step");
    } else {
      assertEquals(2.0 * (workers - 1) / workers * 4 * parameters, result.rawBytesPerExchange(), 4 * workers,
          "a ring sends 2(N-1)/N of the float32 gradients per step");
    }
  }

  @Test
  void parameterAveragingEqualsReplicasThatTrainAloneAndAverageEveryKSteps() {
    int workers = 2;
    int steps = 5;
    int every = 2;
    int[] labels = new int[EXAMPLES];
    var images = SparkTestData.images(EXAMPLES, 2, labels);
    DataParallelResult<TinyNet> result = new DataParallelTrainer<>(adam(),
        DataParallelSpec.of(LOCAL_BATCH, steps, SEED).averaging(Averaging.parameters(every)))
        .fit(SparkTestData.frame(images, labels, workers), "image", "label", workers);

    List<TrainStep<TinyNet>> replicas = new ArrayList<>();
    for (int r = 0; r < workers; r++) {
      replicas.add(MODEL.trainer(MODEL.init(ReplicaTraining.initKey(SEED)), Losses.softmaxCrossEntropy(),
          Optax.adam(0.01)));
    }
    List<Iterator<Batch>> shards = shardBatches(images, labels, workers, 0);
    for (int step = 1; step <= steps; step++) {
      for (int r = 0; r < workers; r++) {
        Batch b = shards.get(r).next();
        replicas.get(r).step(b.features(), b.labels());
      }
      if (step % every == 0 || step == steps) {
        List<List<INDArray>> leaves = replicas.stream().map(t -> MODEL.leaves(t.params())).toList();
        for (int leaf = 0; leaf < leaves.get(0).size(); leaf++) {
          INDArray mean = leaves.get(0).get(leaf).dup();
          for (int r = 1; r < workers; r++) {
            mean.addi(leaves.get(r).get(leaf));
          }
          mean.divi(workers);
          for (List<INDArray> l : leaves) {
            l.get(leaf).assign(mean);
          }
        }
      }
    }
    assertClose(MODEL.toFlax(replicas.get(0).params()), MODEL.toFlax(result.params()));
  }

  /** Throws on replica 1 at its 5th step while armed, as a crashing worker would. */
  private static volatile boolean armed;

  private static final class FailingLoss implements Loss {
    private final Loss inner = Losses.softmaxCrossEntropy();
    private int calls;

    @Override
    public double value(INDArray prediction, INDArray target) {
      return inner.value(prediction, target);
    }

    @Override
    public double valueAndGradient(INDArray prediction, INDArray target, INDArray gradient) {
      if (armed && ++calls == 5 && TaskContext.getPartitionId() == 1) {
        throw new IllegalStateException("injected failure on replica 1");
      }
      return inner.valueAndGradient(prediction, target, gradient);
    }
  }

  @Test
  void aFailedReplicaFailsTheRunCleanlyAndTheNextRunResumesFromTheLastCheckpoint(@TempDir Path dir) throws Exception {
    int workers = 2;
    int steps = 8;
    int[] labels = new int[EXAMPLES];
    var images = SparkTestData.images(EXAMPLES, 3, labels);
    var frame = SparkTestData.frame(images, labels, workers);
    DataParallelSpec spec = DataParallelSpec.of(LOCAL_BATCH, steps, SEED).checkpoints(dir.toString(), 3);
    Recipe<TinyNet> failing = new Recipe<>(() -> TinyNetModel.INSTANCE, FailingLoss::new, () -> Optax.adam(0.01));

    armed = true;
    DataParallelTrainingException failure;
    try {
      failure = assertThrows(DataParallelTrainingException.class,
          () -> new DataParallelTrainer<>(failing, spec).fit(frame, "image", "label", workers));
    } finally {
      armed = false;
    }
    // Spark reports the first task failure it processes: the failing replica's, or its ring neighbour's
    // that saw the connection close.
    assertTrue(failure.getMessage().contains("injected failure on replica 1")
        || failure.getMessage().contains("lost the previous replica (connection closed mid-step)"), failure.getMessage());
    assertTrue(failure.getMessage().contains("step 3"), failure.getMessage());
    assertEquals(3, Checkpoints.latest(dir));
    MODEL.fromFlax(ParameterFiles.load(Checkpoints.parameters(dir, 3))); // complete and loadable
    assertTrue(Files.exists(dir.resolve("step-00000003.optimizer.safetensors")));

    DataParallelResult<TinyNet> resumed = new DataParallelTrainer<>(failing, spec).fit(frame, "image", "label", workers);
    assertEquals(3, resumed.startStep());
    assertEquals(steps - 3, resumed.losses().length);
    TrainStep<TinyNet> uninterrupted = singleProcess(images, labels, workers, steps, new double[steps]);
    assertClose(MODEL.toFlax(uninterrupted.params()), MODEL.toFlax(resumed.params()));
  }

  /**
   * The reference: one process, one trainer, each step on the concatenation of every replica's local
   * batch (replica order), the losses written to {@code losses}.
   */
  private static TrainStep<TinyNet> singleProcess(List<float[]> images, int[] labels, int workers, int steps,
      double[] losses) {
    TrainStep<TinyNet> reference = MODEL.trainer(MODEL.init(ReplicaTraining.initKey(SEED)),
        Losses.softmaxCrossEntropy(), Optax.adam(0.01));
    int perEpoch = images.size() / workers / LOCAL_BATCH;
    List<Iterator<Batch>> shards = null;
    for (int step = 0; step < steps; step++) {
      if (step % perEpoch == 0) {
        shards = shardBatches(images, labels, workers, step / perEpoch);
      }
      Batch global = concatenate(shards);
      losses[step] = reference.step(global.features(), global.labels());
    }
    return reference;
  }

  /** Each replica's batches of epoch {@code epoch}: contiguous shards, shuffled with the replica's key. */
  private static List<Iterator<Batch>> shardBatches(List<float[]> images, int[] labels, int workers, int epoch) {
    List<Iterator<Batch>> out = new ArrayList<>();
    int per = images.size() / workers;
    for (int r = 0; r < workers; r++) {
      float[] x = new float[per * 36];
      int[] y = new int[per];
      for (int i = 0; i < per; i++) {
        System.arraycopy(images.get(r * per + i), 0, x, i * 36, 36);
        y[i] = labels[r * per + i];
      }
      Dataset shard = new Dataset(Nd4j.createFromArray(x).reshape(per, 6, 6, 1), Nd4j.createFromArray(y));
      out.add(Batches.shuffled(shard, LOCAL_BATCH, ReplicaTraining.shuffleKey(SEED, r)).dropLast(true).epoch(epoch));
    }
    return out;
  }

  private static Batch concatenate(List<Iterator<Batch>> shards) {
    List<INDArray> x = new ArrayList<>();
    List<INDArray> y = new ArrayList<>();
    for (Iterator<Batch> s : shards) {
      Batch b = s.next();
      x.add(b.features().dup());
      y.add(b.labels().dup());
    }
    return new Batch(Nd4j.concat(0, x.toArray(INDArray[]::new)), Nd4j.concat(0, y.toArray(INDArray[]::new)));
  }

  /** Every parameter within 1e-6 of the expected, relative to the parameter's largest magnitude. */
  static void assertClose(Map<String, INDArray> expected, Map<String, INDArray> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((path, e) -> {
      double scale = Math.max(e.amaxNumber().doubleValue(), 1e-3);
      double error = e.sub(actual.get(path)).amaxNumber().doubleValue();
      assertTrue(error <= 1e-6 * scale, path + ": max difference " + error + " at scale " + scale);
    });
  }
}
