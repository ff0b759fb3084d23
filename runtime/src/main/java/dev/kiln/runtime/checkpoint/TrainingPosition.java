package dev.kiln.runtime.checkpoint;

import dev.kiln.runtime.random.PRNGKey;
import java.util.Objects;

/**
 * Where a training run stands: everything beyond the arrays that a resumed run needs to continue
 * exactly as the interrupted one would have. The shuffling order of each epoch and every step's
 * dropout and augmentation keys derive from the run's {@code key}, the epoch and the step, so no random
 * state other than the key itself needs saving; the batch size and the number of examples are kept to
 * refuse resuming on other data, where the same position would mean other batches.
 *
 * @param epochsDone completed epochs (evaluated and recorded)
 * @param batchesDone batches of the next epoch already trained on
 * @param step optimizer steps taken in all
 * @param key the run's key, which {@code TrainSpec} splits into initialisation, shuffling and dropout keys
 * @param batchSize the training batch size
 * @param examples the number of training examples
 */
public record TrainingPosition(int epochsDone, int batchesDone, long step, PRNGKey key, int batchSize, int examples) {
  public TrainingPosition {
    Objects.requireNonNull(key, "key");
    if (epochsDone < 0 || batchesDone < 0 || step < 0 || batchSize <= 0 || examples < 0) {
      throw new IllegalArgumentException("impossible training position: " + epochsDone + " epochs, " + batchesDone
          + " batches, step " + step + ", batch size " + batchSize + ", " + examples + " examples");
    }
  }
}
