package dev.kiln.runtime.train;

/**
 * Training stopped because a step's loss was NaN or infinite. The parameters are not saved after
 * such a step (they are poisoned), so the last checkpoint written, if any, still holds the last good
 * ones.
 */
public final class TrainingDivergedException extends RuntimeException {
  private final int epoch;
  private final long step;
  private final double loss;

  public TrainingDivergedException(int epoch, long step, double loss, String lastCheckpoint) {
    super("loss is " + loss + " at step " + step + " (epoch " + epoch + "); training stopped. "
        + (lastCheckpoint == null ? "No checkpoint was written." : "Last checkpoint: " + lastCheckpoint)
        + " Try a lower learning rate, or check the inputs for NaN/Inf.");
    this.epoch = epoch;
    this.step = step;
    this.loss = loss;
  }

  public int epoch() {
    return epoch;
  }

  public long step() {
    return step;
  }

  public double loss() {
    return loss;
  }
}
