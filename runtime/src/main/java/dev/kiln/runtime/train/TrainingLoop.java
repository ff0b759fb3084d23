package dev.kiln.runtime.train;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Batches;
import dev.kiln.runtime.io.ParameterFiles;
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
 * where it arose, see {@link NonFinite}) or before saving non-finite parameters,
 * evaluates on the test set in batches ({@link Evaluation}), calls the callbacks, saves checkpoints
 * (atomically, with {@link ParameterFiles}; resume with
 * {@code initialParams(model.fromFlax(ParameterFiles.load(path)))}) and finally draws the loss curve.
 */
final class TrainingLoop<P extends Record> {
  private final ModelDefinition<P> model;
  private final TrainSpec<P> spec;
  private final History history = new History();
  private final Path checkpointFile;
  private String lastCheckpoint;
  private long lastSaveNanos;
  private INDArray predictions;

  TrainingLoop(ModelDefinition<P> model, TrainSpec<P> spec) {
    this.model = model;
    this.spec = spec;
    boolean checkpoints = spec.checkpointDir != null || spec.checkpointEvery != null;
    Path dir = spec.checkpointDir != null ? spec.checkpointDir : Path.of("checkpoints", model.name());
    this.checkpointFile = checkpoints ? dir.resolve("checkpoint.npz") : null;
  }

  TrainingResult<P> run() {
    PRNGKey[] keys = spec.key.split(3);
    P params = spec.initialParams != null ? spec.initialParams : model.init(keys[0]);
    TrainStep<P> trainer = model.trainer(params, spec.loss, spec.optimizer);
    trainer.dropoutKey(keys[2]);
    Batches shuffled = Batches.shuffled(spec.train, spec.batchSize, keys[1]).dropLast(spec.dropLast);
    Batches batches = spec.augmentation == null ? shuffled : shuffled.augment(spec.augmentation);
    lastSaveNanos = System.nanoTime();
    try {
      long step = 0;
      for (int epoch = 1; epoch <= spec.epochs; epoch++) {
        ProgressBar bar = spec.progress ? ProgressBar.onConsole("epoch " + epoch + "/" + spec.epochs,
            batches.count(), ProgressBar.Unit.COUNT, rateLabel()) : null;
        double lossSum = 0;
        int count = 0;
        for (Iterator<Batch> it = batches.epoch(epoch - 1); it.hasNext(); ) {
          Batch batch = it.next();
          double loss = trainer.step(batch.features(), batch.labels());
          step++;
          if (!Double.isFinite(loss)) {
            if (bar != null) {
              bar.finish();
            }
            throw new TrainingDivergedException(epoch, step, loss, NonFinite.locate(trainer, batch.features()),
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
            bar.advance(1, batch.size());
          }
          if (checkpointFile != null && spec.checkpointEvery != null
              && System.nanoTime() - lastSaveNanos >= spec.checkpointEvery.toNanos()) {
            save(trainer, epoch);
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
          save(trainer, epoch);
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

  /** Predicts the whole test set batch by batch into one reused array, then computes loss and metrics. */
  /** What one example is, for the progress bar: images (NHWC), sequences of token ids, or examples. */
  private String rateLabel() {
    int rank = spec.train.features().rank();
    return rank == 4 ? "img/s" : rank == 2 && !spec.train.features().dataType().isFPType() ? "seq/s" : "ex/s";
  }

  private void evaluate(TrainStep<P> trainer, Map<String, Double> figures) {
    predictions = Evaluation.predictInBatches(trainer::predict, spec.test.features(), spec.batchSize, predictions);
    figures.put("test_loss", spec.loss.value(predictions, spec.test.labels()));
    for (Metric m : spec.metrics) {
      figures.put("test_" + m.name(), m.compute(predictions, spec.test.labels()));
    }
  }

  /** Saves the parameters unless they hold NaN or Inf: a checkpoint is never overwritten with poisoned ones. */
  private void save(TrainStep<P> trainer, int epoch) {
    String poisoned = NonFinite.firstParameter(model, trainer.params());
    if (poisoned != null) {
      double[] losses = history.stepLosses();
      throw new TrainingDivergedException(epoch, losses.length, losses[losses.length - 1],
          "parameter " + poisoned + " holds NaN or Inf", lastCheckpoint);
    }
    try {
      Files.createDirectories(checkpointFile.toAbsolutePath().getParent());
      ParameterFiles.save(checkpointFile, model.variables(trainer.params()));
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
