package dev.kiln.bench;

/**
 * WORKLOADS.md's throughput rule for one framework's training step: run the first {@code warmup}
 * steps untimed, then count whole steps until at least {@code seconds} have passed. Announces the
 * end of the first step on standard output so the launcher can time start-up.
 */
final class StepLoop {
  static final int WARMUP = 20;

  private StepLoop() {}

  /** Times {@code step} and prints the {@link Measurement} line. */
  static Measurement run(Runnable step, int warmup, double seconds, int itemsPerStep) {
    step.run();
    System.out.println(Measurement.FIRST_STEP);
    System.out.flush();
    for (int i = 1; i < warmup; i++) {
      step.run();
    }
    long start = System.nanoTime();
    long limit = (long) (seconds * 1e9);
    long steps = 0;
    long elapsed;
    do {
      step.run();
      steps++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < limit);
    Measurement m = new Measurement(steps, elapsed / 1e9, itemsPerStep, PeakMemory.kilobytes());
    System.out.println(m.toLine());
    System.out.flush();
    return m;
  }
}
