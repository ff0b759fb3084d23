package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.optim.Optax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped part way and resumed from its checkpoint ends exactly as an uninterrupted run. */
class ResumeTest {
  @TempDir Path dir;

  /** 100 examples in batches of 16: 7 batches an epoch (the last of 4), 14 steps in 2 epochs. */
  static Consumer<TrainSpec<LogisticRegression>> job(Path checkpoints) {
    return job(100, 2, checkpoints);
  }

  /** Adam on {@code examples} blobs in batches of 16 for {@code epochs}, evaluated after each. */
  static Consumer<TrainSpec<LogisticRegression>> job(int examples, int epochs, Path checkpoints) {
    return t -> {
      t.data(TrainTest.blobs(examples, 1), 16);
      t.loss(new LogisticRegression.CrossEntropy());
      t.optimizer(Optax.adam(0.05));
      t.epochs(epochs);
      t.seed(7);
      t.evaluate(TrainTest.blobs(60, 2), Metrics.accuracy());
      t.progress(false);
      if (checkpoints != null) {
        t.checkpointDir(checkpoints);
      }
    };
  }

  private static final class Crash extends RuntimeException {}

  private TrainingResult<LogisticRegression> interruptedThenResumed(int everySteps, Callback crash) {
    Path checkpoints = dir.resolve("every" + everySteps);
    LogisticRegression.Model model = new LogisticRegression.Model(2, 3);
    assertThrows(Crash.class, () -> Train.of(model, job(checkpoints).andThen(t -> {
      t.checkpointEverySteps(everySteps);
      t.callback(crash);
    })));
    return Train.of(model, job(checkpoints).andThen(t -> t.resume(true)));
  }

  private static void assertSameRun(TrainingResult<LogisticRegression> expected,
      TrainingResult<LogisticRegression> found) {
    assertEquals(expected.params().kernel(), found.params().kernel());
    assertEquals(expected.params().bias(), found.params().bias());
    assertArrayEquals(expected.history().stepLosses(), found.history().stepLosses());
    assertEquals(expected.history().epochs(), found.history().epochs());
    assertEquals(expected.history().epochEndSteps(), found.history().epochEndSteps());
  }

  @Test
  void resumesMidEpochAtEpochEndAndFromNothing() {
    TrainingResult<LogisticRegression> straight = Train.of(new LogisticRegression.Model(2, 3), job(null));
    assertEquals(14, straight.history().steps());
    Callback atStep10 = new Callback() {
      @Override
      public void onStep(int epoch, long step, double loss) {
        if (step == 10) {
          throw new Crash(); // the checkpoint of step 9 (epoch 2, batch 2) survives
        }
      }
    };
    assertSameRun(straight, interruptedThenResumed(3, atStep10));
    Callback atFirstEpochEnd = new Callback() {
      @Override
      public void onEpochEnd(int epoch, Map<String, Double> figures) {
        throw new Crash(); // the checkpoint of step 7 has all 7 batches of epoch 1, not its evaluation
      }
    };
    assertSameRun(straight, interruptedThenResumed(7, atFirstEpochEnd));
    Callback atStep2 = new Callback() {
      @Override
      public void onStep(int epoch, long step, double loss) {
        if (step == 2) {
          throw new Crash(); // before the first checkpoint: resuming starts afresh
        }
      }
    };
    assertSameRun(straight, interruptedThenResumed(4, atStep2));
  }

  @Test
  void resumingAFinishedRunTrainsNoMore() {
    Path checkpoints = dir.resolve("done");
    LogisticRegression.Model model = new LogisticRegression.Model(2, 3);
    TrainingResult<LogisticRegression> first = Train.of(model, job(checkpoints));
    long[] steps = {0};
    TrainingResult<LogisticRegression> again = Train.of(model, job(checkpoints).andThen(t -> {
      t.resume(true);
      t.callback(new Callback() {
        @Override
        public void onStep(int epoch, long step, double loss) {
          steps[0]++;
        }
      });
    }));
    assertEquals(0, steps[0]);
    assertSameRun(first, again);
  }

  @Test
  void refusesACheckpointOfAnotherRun() {
    Path checkpoints = dir.resolve("other");
    LogisticRegression.Model model = new LogisticRegression.Model(2, 3);
    Train.of(model, job(checkpoints).andThen(t -> t.epochs(1)));
    assertTrue(Files.exists(checkpoints.resolve(TrainingLoop.CHECKPOINT_FILE)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Train.of(model, job(checkpoints).andThen(t -> {
          t.seed(8);
          t.resume(true);
        })));
    assertTrue(e.getMessage().contains("it was written by a run with key PRNGKey[0, 7], this run has PRNGKey[0, 8]"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Train.of(model, job(checkpoints).andThen(t -> {
      t.data(TrainTest.blobs(200, 1), 20);
      t.resume(true);
    })));
    assertTrue(e.getMessage().contains("it was written with batch size 16"), e.getMessage());
  }
}
