package dev.kiln.runtime.train;

import dev.kiln.runtime.checkpoint.Checkpoint;
import dev.kiln.runtime.checkpoint.TrainingPosition;
import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Batches;
import dev.kiln.runtime.io.FlaxTrainState;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.model.TrainStep;
import dev.kiln.runtime.random.PRNGKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a validated {@link TrainSpec}: splits the key into initialisation, shuffling and dropout keys,
 * then for each epoch feeds shuffled (and, if asked, augmented) batches to the model's compiled
 * {@link TrainStep}, stops with {@link TrainingDivergedException} at the first non-finite loss (naming
 * where it arose, see {@link NonFinite}) or before saving non-finite parameters, evaluates on the
 * test set in batches ({@link Evaluation}), calls the callbacks, saves {@link Checkpoint}s
 * (atomically) and finally draws the loss curve. With {@link TrainSpec#resume} it first restores the
 * last checkpoint and takes up the run where it stood.
 */
final class TrainingLoop<P extends Record> {
  /** The checkpoint's name in the checkpoint directory. */
  static final String CHECKPOINT_FILE = "checkpoint.kiln";

  private final ModelDefinition<P> model;
  private final TrainSpec<P> spec;
  private History history = new History();
  private final Path checkpointFile;
  private String lastCheckpoint;
  private long lastSaveNanos;
  private INDArray predictions;

  TrainingLoop(ModelDefinition<P> model, TrainSpec<P> spec) {
    this.model = model;
    this.spec = spec;
    boolean checkpoints = spec.checkpointDir != null || spec.checkpointEvery != null
        || spec.checkpointEverySteps != null || spec.resume;
    Path dir = spec.checkpointDir != null ? spec.checkpointDir : Path.of("checkpoints", model.name());
    this.checkpointFile = checkpoints ? dir.resolve(CHECKPOINT_FILE) : null;
  }

  TrainingResult<P> run() {
    PRNGKey[] keys = spec.key.split(3);
    P params = spec.initialParams != null ? spec.initialParams : model.init(keys[0]);
    TrainStep<P> trainer = model.trainer(params, spec.loss, spec.optimizer);
    trainer.dropoutKey(keys[2]);
    Batches shuffled = Batches.shuffled(spec.train, spec.batchSize, keys[1]).dropLast(spec.dropLast);
    Batches batches = spec.augmentation == null ? shuffled : shuffled.augment(spec.augmentation);
    TrainingPosition start = resume(trainer, batches);
    lastSaveNanos = System.nanoTime();
    try {
      long step = start.step();
      for (int epoch = start.epochsDone() + 1; epoch <= spec.epochs; epoch++) {
        int batch = epoch == start.epochsDone() + 1 ? start.batchesDone() : 0;
        ProgressBar bar = spec.progress ? ProgressBar.onConsole("epoch " + epoch + "/" + spec.epochs,
            batches.count() - batch, ProgressBar.Unit.COUNT, rateLabel()) : null;
        // a resumed epoch's mean loss counts its steps before the interruption, summed in the same order
        double lossSum = 0;
        double[] losses = history.stepLosses();
        for (int i = losses.length - batch; i < losses.length; i++) {
          lossSum += losses[i];
        }
        int count = batch;
        for (Iterator<Batch> it = batches.epoch(epoch - 1, batch); it.hasNext(); ) {
          Batch b = it.next();
          double loss = trainer.step(b.features(), b.labels());
          step++;
          batch++;
          if (!Double.isFinite(loss)) {
            if (bar != null) {
              bar.finish();
            }
            throw new TrainingDivergedException(epoch, step, loss, NonFinite.locate(trainer, b.features()),
                lastCheckpoint);
          }
          history.recordStep(loss);
          lossSum += loss;
          count++;
          for (Callback c : spec.callbacks) {
            c.onStep(epoch, step, loss);
          }
          if (bar != null) {
            bar.status(String.format(Locale.ROOT, "loss %.4f", loss));
            bar.advance(1, b.size());
          }
          if (checkpointDue(step)) {
            save(trainer, epoch,
                new TrainingPosition(epoch - 1, batch, step, spec.key, spec.batchSize, spec.train.size()));
          }
        }
        if (bar != null) {
          bar.finish();
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("train_loss", lossSum / count);
        if (spec.test != null) {
          evaluate(trainer, figures);
        }
        history.recordEpoch(figures);
        if (spec.progress) {
          System.err.println(summary(epoch, figures));
        }
        for (Callback c : spec.callbacks) {
          c.onEpochEnd(epoch, history.epochs().get(epoch - 1));
        }
        if (checkpointFile != null) {
          save(trainer, epoch, new TrainingPosition(epoch, 0, step, spec.key, spec.batchSize, spec.train.size()));
        }
      }
    } finally {
      if (spec.lossCurve != null && history.steps() > 0) {
        try {
          LossCurve.writePng(history, spec.lossCurve);
        } catch (IOException e) {
          throw new UncheckedIOException("writing the loss curve " + spec.lossCurve + ": " + e.getMessage(), e);
        }
      }
    }
    return new TrainingResult<>(trainer.params(), history);
  }

  /**
   * Restores the checkpoint into the trainer and the history when resuming and one exists; returns the
   * position to start from (the very beginning otherwise).
   */
  private TrainingPosition resume(TrainStep<P> trainer, Batches batches) {
    TrainingPosition beginning = new TrainingPosition(0, 0, 0, spec.key, spec.batchSize, spec.train.size());
    if (!spec.resume || !Files.exists(checkpointFile)) {
      return beginning;
    }
    try {
      Checkpoint checkpoint = Checkpoint.load(checkpointFile);
      TrainingPosition at = checkpoint.position();
      String problem = !checkpoint.model().equals(model.name()) ? "it holds model " + checkpoint.model()
          : !at.key().equals(spec.key) ? "it was written by a run with key " + at.key() + ", this run has "
              + spec.key + " (resume with the same seed)"
          : at.batchSize() != spec.batchSize ? "it was written with batch size " + at.batchSize()
          : at.examples() != spec.train.size() ? "it was written for " + at.examples() + " training examples"
          : at.batchesDone() > batches.count() ? "it has " + at.batchesDone() + " batches of an epoch done, of "
              + batches.count()
          : null;
      if (problem != null) {
        throw new IllegalArgumentException("cannot resume " + model.name() + " (key " + spec.key + ", batch size "
            + spec.batchSize + ", " + spec.train.size() + " examples) from " + checkpointFile + ": " + problem);
      }
      FlaxTrainState.restore(checkpoint.trainState(), model.name(), model.variables(trainer.params()),
          spec.optimizer, trainer.optimizerState());
      History restored = History.fromTree(checkpoint.history());
      if (restored.steps() != at.step() || trainer.optimizerState().step() != at.step()) {
        throw new IOException("position step " + at.step() + " disagrees with the history's " + restored.steps()
            + " steps or the optimizer's count " + trainer.optimizerState().step());
      }
      history = restored;
      lastCheckpoint = checkpointFile + " (after step " + at.step() + ")";
      if (spec.progress) {
        System.err.printf(Locale.ROOT, "resuming %s from %s: %d epochs and %d batches done, step %d%n",
            model.name(), checkpointFile, at.epochsDone(), at.batchesDone(), at.step());
      }
      return at;
    } catch (IOException e) {
      throw new UncheckedIOException("resuming from " + checkpointFile + ": " + e.getMessage(), e);
    }
  }

  private boolean checkpointDue(long step) {
    if (checkpointFile == null) {
      return false;
    }
    return spec.checkpointEverySteps != null && step % spec.checkpointEverySteps == 0
        || spec.checkpointEvery != null && System.nanoTime() - lastSaveNanos >= spec.checkpointEvery.toNanos();
  }

  /** What one example is, for the progress bar: images (NHWC), sequences of token ids, or examples. */
  private String rateLabel() {
    int rank = spec.train.features().rank();
    return rank == 4 ? "img/s" : rank == 2 && !spec.train.features().dataType().isFPType() ? "seq/s" : "ex/s";
  }

  /** Predicts the whole test set batch by batch into one reused array, then computes loss and metrics. */
  private void evaluate(TrainStep<P> trainer, Map<String, Double> figures) {
    predictions = Evaluation.predictInBatches(trainer::predict, spec.test.features(), spec.batchSize, predictions);
    figures.put("test_loss", spec.loss.value(predictions, spec.test.labels()));
    for (Metric m : spec.metrics) {
      figures.put("test_" + m.name(), m.compute(predictions, spec.test.labels()));
    }
  }

  /** Saves a checkpoint unless the parameters hold NaN or Inf: a checkpoint is never overwritten with poisoned ones. */
  private void save(TrainStep<P> trainer, int epoch, TrainingPosition position) {
    String poisoned = NonFinite.firstParameter(model, trainer.params());
    if (poisoned != null) {
      double[] losses = history.stepLosses();
      throw new TrainingDivergedException(epoch, losses.length, losses[losses.length - 1],
          "parameter " + poisoned + " holds NaN or Inf", lastCheckpoint);
    }
    try {
      Files.createDirectories(checkpointFile.toAbsolutePath().getParent());
      new Checkpoint(model.name(), position,
          FlaxTrainState.stateDict(model.variables(trainer.params()), spec.optimizer, trainer.optimizerState()),
          history.toTree()).save(checkpointFile);
    } catch (IOException e) {
      throw new UncheckedIOException("writing checkpoint " + checkpointFile + ": " + e.getMessage(), e);
    }
    lastCheckpoint = checkpointFile + " (after step " + history.steps() + ")";
    lastSaveNanos = System.nanoTime();
  }

  private String summary(int epoch, Map<String, Double> figures) {
    StringBuilder s = new StringBuilder("epoch ").append(epoch).append('/').append(spec.epochs).append(':');
    figures.forEach((name, value) -> s.append(String.format(Locale.ROOT, "  %s %.4f", name, value)));
    return s.toString();
  }
}
