package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.examples.models.NormedMlpModel;
import dev.kiln.examples.models.TinyCnnModel;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.train.Callback;
import dev.kiln.runtime.train.Train;
import dev.kiln.runtime.train.TrainSpec;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Generated trainers resume exactly: dropout keys continue from the restored step count (TinyCnn) and
 * running statistics come back with the parameters (NormedMlp).
 */
class ResumeModelsTest {
  @TempDir Path dir;

  private static final class Crash extends RuntimeException {}

  /** 40 random examples with 3 classes in batches of 8: 10 steps in 2 epochs. */
  private static <P extends Record> Consumer<TrainSpec<P>> job(long[] exampleShape, Path checkpoints) {
    long[] shape = new long[exampleShape.length + 1];
    shape[0] = 40;
    System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
    Dataset data = new Dataset(Nd4j.rand(DataType.FLOAT, shape), Nd4j.arange(40).fmodi(3).castTo(DataType.INT));
    return t -> {
      t.data(data, 8);
      t.loss(Losses.softmaxCrossEntropy());
      t.optimizer(Optax.adam(1e-2));
      t.epochs(2);
      t.seed(3);
      t.progress(false);
      if (checkpoints != null) {
        t.checkpointDir(checkpoints);
        t.checkpointEverySteps(3);
      }
    };
  }

  private <P extends Record> void assertResumesExactly(ModelDefinition<P> model) {
    Nd4j.getRandom().setSeed(11);
    Consumer<TrainSpec<P>> straight = job(model.inputShape(), null);
    P expected = Train.of(model, straight).params();
    Nd4j.getRandom().setSeed(11);
    Path checkpoints = dir.resolve(model.name());
    Consumer<TrainSpec<P>> withCheckpoints = job(model.inputShape(), checkpoints);
    assertThrows(Crash.class, () -> Train.of(model, withCheckpoints.andThen(t -> t.callback(new Callback() {
      @Override
      public void onStep(int epoch, long step, double loss) {
        if (step == 8) {
          throw new Crash(); // the checkpoint of step 6 (epoch 2, batch 1) survives
        }
      }
    }))));
    P resumed = Train.of(model, withCheckpoints.andThen(t -> t.resume(true))).params();
    assertEquals(model.variables(expected), model.variables(resumed), model.name());
  }

  @Test
  void dropoutModelResumesWithTheSameKeys() {
    assertResumesExactly(TinyCnnModel.INSTANCE);
  }

  @Test
  void batchNormModelResumesWithItsStatistics() {
    assertResumesExactly(NormedMlpModel.INSTANCE);
  }
}
