package dev.kiln.runtime.optim;

import java.util.Map;
import java.util.TreeMap;

/**
 * A learning-rate schedule: the value for an update, given how many updates came before it (optax's
 * {@code count}, read before it is incremented, so the first update sees step 0). The factories
 * follow optax 0.2.8's {@code optax.schedules} formulas, edge cases included; values are computed in
 * double and rounded to float32 where an optimizer uses them (optax computes them in float32, so
 * the two agree to float32 rounding).
 */
@FunctionalInterface
public interface Schedule {
  /** The value at {@code step} (the number of updates already applied). */
  double at(long step);

  /** optax.constant_schedule. */
  static Schedule constant(double value) {
    return new ConstantSchedule(value);
  }

  /** optax.exponential_decay without staircase, begin or end value. */
  static Schedule exponentialDecay(double initValue, long transitionSteps, double decayRate) {
    return exponentialDecay(initValue, transitionSteps, decayRate, 0, false, null);
  }

  /**
   * optax.exponential_decay: {@code init * decayRate^((step - begin) / transitionSteps)} after
   * {@code transitionBegin} (the exponent floored if {@code staircase}), {@code initValue} before,
   * clipped at {@code endValue} (null: no clipping) from below when decaying, from above when
   * growing. As in optax, non-positive {@code transitionSteps} or a zero rate give a constant
   * schedule and a negative begin counts as 0.
   */
  static Schedule exponentialDecay(double initValue, long transitionSteps, double decayRate,
      long transitionBegin, boolean staircase, Double endValue) {
    if (transitionSteps <= 0 || decayRate == 0) {
      return constant(initValue);
    }
    long begin = Math.max(0, transitionBegin);
    return step -> {
      long decreased = step - begin;
      double p = (double) decreased / transitionSteps;
      double value = decreased <= 0 ? initValue
          : initValue * Math.pow(decayRate, staircase ? Math.floor(p) : p);
      if (endValue == null) {
        return value;
      }
      return decayRate < 1 ? Math.max(value, endValue) : Math.min(value, endValue);
    };
  }

  /** optax.cosine_decay_schedule with alpha 0 and exponent 1. */
  static Schedule cosineDecay(double initValue, long decaySteps) {
    return cosineDecay(initValue, decaySteps, 0, 1);
  }

  /**
   * optax.cosine_decay_schedule: {@code init * ((1 - alpha) * c^exponent + alpha)} with
   * {@code c = (1 + cos(pi * min(step, decaySteps) / decaySteps)) / 2}, constant after
   * {@code decaySteps}.
   *
   * @throws IllegalArgumentException if {@code decaySteps} is not positive (as optax)
   */
  static Schedule cosineDecay(double initValue, long decaySteps, double alpha, double exponent) {
    if (decaySteps <= 0) {
      throw new IllegalArgumentException("cosine decay needs positive decaySteps, found " + decaySteps);
    }
    return step -> {
      double count = Math.min(step, decaySteps);
      double cosine = 0.5 * (1 + Math.cos(Math.PI * count / decaySteps));
      return initValue * ((1 - alpha) * Math.pow(cosine, exponent) + alpha);
    };
  }

  /** optax.warmup_cosine_decay_schedule with end value 0 and exponent 1. */
  static Schedule warmupCosineDecay(double initValue, double peakValue, long warmupSteps, long decaySteps) {
    return warmupCosineDecay(initValue, peakValue, warmupSteps, decaySteps, 0, 1);
  }

  /**
   * optax.warmup_cosine_decay_schedule: linear from {@code initValue} to {@code peakValue} over
   * {@code warmupSteps}, then cosine decay from the peak to {@code endValue} over the remaining
   * {@code decaySteps - warmupSteps} steps ({@code decaySteps} counts the warmup, as in optax).
   *
   * @throws IllegalArgumentException if {@code decaySteps <= warmupSteps} (as optax)
   */
  static Schedule warmupCosineDecay(double initValue, double peakValue, long warmupSteps, long decaySteps,
      double endValue, double exponent) {
    double alpha = peakValue == 0 ? 0 : endValue / peakValue;
    Schedule warmup = linear(initValue, peakValue, warmupSteps);
    Schedule decay = cosineDecay(peakValue, decaySteps - warmupSteps, alpha, exponent);
    return step -> step < warmupSteps ? warmup.at(step) : decay.at(step - warmupSteps);
  }

  /**
   * optax.piecewise_constant_schedule: {@code initValue} times the scale of every boundary that
   * {@code step} has reached ({@code step >= boundary}).
   *
   * @throws IllegalArgumentException if a scale is negative (as optax)
   */
  static Schedule piecewiseConstant(double initValue, Map<Long, Double> boundariesAndScales) {
    TreeMap<Long, Double> sorted = new TreeMap<>(boundariesAndScales);
    sorted.forEach((boundary, scale) -> {
      if (!(scale >= 0)) {
        throw new IllegalArgumentException("piecewise constant schedule needs non-negative scales, found "
            + scale + " at step " + boundary);
      }
    });
    return step -> {
      double value = initValue;
      for (Map.Entry<Long, Double> e : sorted.headMap(step, true).entrySet()) {
        value *= e.getValue();
      }
      return value;
    };
  }

  /** optax.linear_schedule (polynomial of power 1); constant if {@code transitionSteps <= 0}. */
  private static Schedule linear(double initValue, double endValue, long transitionSteps) {
    if (transitionSteps <= 0) {
      return constant(initValue);
    }
    return step -> {
      double count = Math.max(0, Math.min(step, transitionSteps));
      return (initValue - endValue) * (1 - count / transitionSteps) + endValue;
    };
  }
}
