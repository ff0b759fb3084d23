package dev.kiln.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of the 1-minute load average that the benchmark's own children left behind. Linux's
 * load average is an exponential moving average with a 60 s time constant, so a child that kept
 * {@code n} threads busy from {@code s} to {@code e} still adds {@code n (1 - exp(-(e-s)/60))
 * exp(-(t-e)/60)} at time {@code t}. Subtracting it lets the next run start when the machine is
 * quiet apart from the benchmark itself, instead of waiting minutes after every run.
 */
final class OwnLoad {
  private static final double TIME_CONSTANT_SECONDS = 60;

  private record Run(double startSeconds, double endSeconds, int threads) {}

  private final List<Run> runs = new ArrayList<>();

  /** Records a child that ran {@code threads} busy threads between the two times (seconds on one clock). */
  void record(double startSeconds, double endSeconds, int threads) {
    runs.add(new Run(startSeconds, endSeconds, threads));
  }

  /** The load the recorded children still contribute at {@code nowSeconds}. */
  double at(double nowSeconds) {
    double sum = 0;
    for (Run r : runs) {
      double rise = 1 - Math.exp(-(r.endSeconds - r.startSeconds) / TIME_CONSTANT_SECONDS);
      sum += r.threads * rise * Math.exp(-Math.max(0, nowSeconds - r.endSeconds) / TIME_CONSTANT_SECONDS);
    }
    return sum;
  }
}
