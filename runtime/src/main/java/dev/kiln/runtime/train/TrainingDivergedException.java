package dev.kiln.runtime.train;

/**
 * Training stopped because a step's loss, or the parameters about to be saved, became NaN or
 * infinite. The message names the step and where the first non-finite value appeared (the input
 * batch, a layer's output, a gradient or a parameter). The parameters are not saved after such a
 * step (they are poisoned), so the last checkpoint written, if any, still holds the last good ones.
 */
public final class TrainingDivergedException extends RuntimeException {
  private final int epoch;
  private final long step;
  private final double loss;
  private final String where;

  /** A non-finite loss at {@code step}, where nothing more is known of its origin. */
  public TrainingDivergedException(int epoch, long step, double loss, String lastCheckpoint) {
    this(epoch, step, loss, null, lastCheckpoint);
  }

  /**
   * @param where where the first non-finite value appeared (e.g. {@code "first non-finite layer
   *     output: hidden: Dense(256, relu)"}), or null if unknown
   */
  public TrainingDivergedException(int epoch, long step, double loss, String where, String lastCheckpoint) {
    super((Double.isFinite(loss) ? "parameters became non-finite at step " + step + " (epoch " + epoch
        + ", loss " + loss + ")" : "loss is " + loss + " at step " + step + " (epoch " + epoch + ")")
        + (where == null ? "" : "; " + where) + "; training stopped. "
        + (lastCheckpoint == null ? "No checkpoint was written." : "Last checkpoint: " + lastCheckpoint)
        + " Try a lower learning rate, or check the inputs for NaN/Inf.");
    this.epoch = epoch;
    this.step = step;
    this.loss = loss;
    this.where = where;
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

  /** Where the first non-finite value appeared, or null if unknown. */
  public String where() {
    return where;
  }
}
