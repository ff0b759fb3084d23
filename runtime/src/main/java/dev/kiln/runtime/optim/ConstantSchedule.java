package dev.kiln.runtime.optim;

/**
 * {@link Schedule#constant}: a plain number, which optax turns into {@code scale} (no state) where a
 * schedule becomes {@code scale_by_schedule} (a count), so optimizers tell the two apart.
 */
record ConstantSchedule(double value) implements Schedule {
  @Override
  public double at(long step) {
    return value;
  }
}
