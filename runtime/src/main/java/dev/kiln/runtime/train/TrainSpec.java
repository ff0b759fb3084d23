package dev.kiln.runtime.train;

import dev.kiln.runtime.data.Augmentation;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.loss.Loss;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.random.PRNGKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The settings of a training run, filled in by the lambda given to {@link Train#of} in the style of
 * a Kotlin type-safe builder. Required: {@link #data}, {@link #loss}, {@link #optimizer}. Defaults:
 * 1 epoch, seed 0, parameters from {@code model.init}, progress shown, no augmentation, no
 * evaluation, no checkpoints, no loss curve. {@link #validate} checks everything against the model before any
 * work starts, so a mistake fails in milliseconds, not after an epoch.
 */
public final class TrainSpec<P extends Record> {
  Dataset train;
  int batchSize;
  Augmentation augmentation;
  Loss loss;
  Optimizer optimizer;
  int epochs = 1;
  PRNGKey key = PRNGKey.of(0);
  P initialParams;
  Dataset test;
  final List<Metric> metrics = new ArrayList<>();
  final List<Callback> callbacks = new ArrayList<>();
  Duration checkpointEvery;
  Integer checkpointEverySteps;
  Path checkpointDir;
  boolean resume;
  Path lossCurve;
  boolean progress = true;
  boolean dropLast;

  TrainSpec() {}

  /** The training examples, cut into shuffled batches of {@code batchSize}. */
  public void data(Dataset train, int batchSize) {
    this.train = Objects.requireNonNull(train, "training data");
    this.batchSize = batchSize;
  }

  /**
   * Change every training batch in place before its step, e.g.
   * {@code augment(Augmentations.randomHorizontalFlip())}. Each batch's key derives from the
   * shuffling key (see {@link dev.kiln.runtime.data.Batches#augment}), so the run stays reproducible;
   * evaluation batches are never augmented.
   */
  public void augment(Augmentation augmentation) {
    this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
  }

  public void loss(Loss loss) {
    this.loss = Objects.requireNonNull(loss, "loss");
  }

  public void optimizer(Optimizer optimizer) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
  }

  public void epochs(int epochs) {
    this.epochs = epochs;
  }

  /** The run's key as {@code PRNGKey(seed)}; see {@link #key}. */
  public void seed(long seed) {
    this.key = PRNGKey.of(seed);
  }

  /** The run's key; it is split into the parameter-initialisation, shuffling and dropout keys. */
  public void key(PRNGKey key) {
    this.key = Objects.requireNonNull(key, "key");
  }

  /** Start from these parameters (e.g. a checkpoint) instead of {@code model.init}. */
  public void initialParams(P params) {
    this.initialParams = Objects.requireNonNull(params, "initial parameters");
  }

  /** Evaluate on {@code test} after every epoch, recording each metric as {@code test_<name>}. */
  public void evaluate(Dataset test, Metric... metrics) {
    this.test = Objects.requireNonNull(test, "test data");
    this.metrics.addAll(Arrays.asList(metrics));
  }

  public void callback(Callback callback) {
    callbacks.add(Objects.requireNonNull(callback, "callback"));
  }

  /**
   * Also save a checkpoint during an epoch once this much time has passed since the last save. Setting
   * this, {@link #checkpointEverySteps}, {@link #checkpointDir} or {@link #resume} turns checkpoints on:
   * they are then also written at every epoch's end, to {@code checkpoints/<model name>/checkpoint.kiln}
   * unless a directory is given (see {@link dev.kiln.runtime.checkpoint.Checkpoint} for the format).
   */
  public void checkpointEvery(Duration interval) {
    this.checkpointEvery = Objects.requireNonNull(interval, "checkpoint interval");
  }

  /** Also save a checkpoint after every {@code steps} training steps (counted over the whole run). */
  public void checkpointEverySteps(int steps) {
    this.checkpointEverySteps = steps;
  }

  /** Where {@code checkpoint.kiln} is written (replaced atomically at each save). */
  public void checkpointDir(Path dir) {
    this.checkpointDir = Objects.requireNonNull(dir, "checkpoint directory");
  }

  /**
   * Continue from the checkpoint in the checkpoint directory when there is one ({@code true}), instead
   * of starting afresh: parameters, running statistics, optimizer state, position and history are
   * restored, and the run goes on exactly as the interrupted one would have (the same remaining batches
   * in the same order, the same dropout and augmentation keys), so it ends with the same parameters. The
   * checkpoint must come from the same model, key, batch size and number of examples; it takes
   * precedence over {@link #initialParams}. Without a checkpoint the run starts afresh.
   */
  public void resume(boolean resume) {
    this.resume = resume;
  }

  /** Write the loss curve to this PNG when training ends (also when it stops on a NaN). */
  public void lossCurve(Path png) {
    this.lossCurve = Objects.requireNonNull(png, "loss curve path");
  }

  /** Show a progress bar per epoch (default true). */
  public void progress(boolean show) {
    this.progress = show;
  }

  /** Drop each epoch's last partial batch (default false: every example is used each epoch). */
  public void dropLastBatch(boolean drop) {
    this.dropLast = drop;
  }

  /** Fails with every problem found, each in one sentence. */
  void validate(ModelDefinition<P> model) {
    List<String> problems = new ArrayList<>();
    if (train == null) {
      problems.add("no training data: call data(dataset, batchSize)");
    } else {
      if (batchSize <= 0) {
        problems.add("batch size must be positive, found " + batchSize);
      }
      checkShape(model, train, "training data", problems);
    }
    if (loss == null) {
      problems.add("no loss: call loss(...), e.g. loss(Losses.softmaxCrossEntropy())");
    }
    if (optimizer == null) {
      problems.add("no optimizer: call optimizer(...), e.g. optimizer(Optax.adam(1e-3))");
    }
    if (epochs <= 0) {
      problems.add("epochs must be positive, found " + epochs);
    }
    if (test != null) {
      checkShape(model, test, "evaluation data", problems);
      if (metrics.isEmpty()) {
        problems.add("evaluate(...) was given no metric, e.g. evaluate(test, Metrics.accuracy())");
      }
    }
    if (checkpointEvery != null && checkpointEvery.isNegative()) {
      problems.add("checkpoint interval must not be negative, found " + checkpointEvery);
    }
    if (checkpointEverySteps != null && checkpointEverySteps <= 0) {
      problems.add("checkpoint step interval must be positive, found " + checkpointEverySteps);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid training spec for " + model.name() + ":\n  "
          + String.join("\n  ", problems));
    }
  }

  private static void checkShape(ModelDefinition<?> model, Dataset data, String what, List<String> problems) {
    long[] expected = model.inputShape();
    long[] found = data.exampleShape();
    boolean fits = expected.length == found.length;
    for (int i = 0; fits && i < expected.length; i++) {
      fits = expected[i] == -1 || expected[i] == found[i];
    }
    if (!fits) {
      problems.add(what + " examples have shape " + Arrays.toString(found) + " but " + model.name()
          + " expects input " + Arrays.toString(expected) + " (batch axis excluded; -1 is any size)");
    }
  }
}
