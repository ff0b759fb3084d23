package dev.kiln.runtime.optim;

/**
 * The optimizers of optax 0.2.8 with its exact update rules and state slot names ({@code trace},
 * {@code mu}, {@code nu}), updating float32 parameters in place. Every optimizer takes either a
 * constant learning rate or a {@link Schedule}, read at the step count before the update as optax
 * does. Defaults are optax's.
 */
public final class Optax {
  private Optax() {}

  /** optax.sgd(lr). */
  public static Optimizer sgd(double learningRate) {
    return sgd(Schedule.constant(learningRate));
  }

  public static Optimizer sgd(Schedule learningRate) {
    return new Sgd(learningRate, null, false);
  }

  /** optax.sgd(lr, momentum): heavy-ball momentum through a {@code trace} slot. */
  public static Optimizer sgd(double learningRate, double momentum) {
    return sgd(Schedule.constant(learningRate), momentum);
  }

  public static Optimizer sgd(Schedule learningRate, double momentum) {
    return sgd(learningRate, momentum, false);
  }

  /** optax.sgd(lr, momentum, nesterov). */
  public static Optimizer sgd(double learningRate, double momentum, boolean nesterov) {
    return sgd(Schedule.constant(learningRate), momentum, nesterov);
  }

  public static Optimizer sgd(Schedule learningRate, double momentum, boolean nesterov) {
    return new Sgd(learningRate, momentum, nesterov);
  }

  /** optax.adam(lr) with b1 0.9, b2 0.999, eps 1e-8. */
  public static Optimizer adam(double learningRate) {
    return adam(Schedule.constant(learningRate));
  }

  public static Optimizer adam(Schedule learningRate) {
    return adam(learningRate, 0.9, 0.999, 1e-8);
  }

  /** optax.adam(lr, b1, b2, eps). */
  public static Optimizer adam(double learningRate, double b1, double b2, double eps) {
    return adam(Schedule.constant(learningRate), b1, b2, eps);
  }

  public static Optimizer adam(Schedule learningRate, double b1, double b2, double eps) {
    return new Adam(learningRate, b1, b2, eps, null);
  }

  /** optax.adamw(lr) with b1 0.9, b2 0.999, eps 1e-8, weight decay 1e-4. */
  public static Optimizer adamw(double learningRate) {
    return adamw(Schedule.constant(learningRate));
  }

  public static Optimizer adamw(Schedule learningRate) {
    return adamw(learningRate, 0.9, 0.999, 1e-8, 1e-4);
  }

  /**
   * optax.adamw(lr, b1, b2, eps, weight_decay) with optax's default mask (every parameter decays):
   * {@code p -= lr * (adam_update + weightDecay * p)}.
   */
  public static Optimizer adamw(double learningRate, double b1, double b2, double eps, double weightDecay) {
    return adamw(Schedule.constant(learningRate), b1, b2, eps, weightDecay);
  }

  public static Optimizer adamw(Schedule learningRate, double b1, double b2, double eps, double weightDecay) {
    return new Adam(learningRate, b1, b2, eps, weightDecay);
  }

  /** optax.rmsprop(lr) with decay 0.9 and eps 1e-8. */
  public static Optimizer rmsprop(double learningRate) {
    return rmsprop(Schedule.constant(learningRate));
  }

  public static Optimizer rmsprop(Schedule learningRate) {
    return rmsprop(learningRate, 0.9, 1e-8);
  }

  /** optax.rmsprop(lr, decay, eps): {@code p -= lr * g / sqrt(nu + eps)} (eps inside the root, as optax). */
  public static Optimizer rmsprop(double learningRate, double decay, double eps) {
    return rmsprop(Schedule.constant(learningRate), decay, eps);
  }

  public static Optimizer rmsprop(Schedule learningRate, double decay, double eps) {
    return new RmsProp(learningRate, decay, eps);
  }
}
