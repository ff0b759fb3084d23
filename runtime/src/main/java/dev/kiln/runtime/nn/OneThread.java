package dev.kiln.runtime.nn;

import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs work with libnd4j's master threads (the ones that split an op's work; libnd4j ignores a
 * lower {@code maxThreads}) and the BLAS's threads limited to one, for ops too small to gain from
 * more. The limits are process-wide, so overlapping calls from several Java threads are counted:
 * the first to enter saves the thread counts and the last to leave restores them (while any runs,
 * other ops in the process run on one thread too).
 */
final class OneThread {
  private static final Object LOCK = new Object();
  private static int running;
  private static int masterThreads;
  private static int blasThreads;

  private OneThread() {}

  static void run(Runnable work) {
    enter();
    try {
      work.run();
    } finally {
      exit();
    }
  }

  private static void enter() {
    synchronized (LOCK) {
      if (running++ == 0) {
        Environment environment = Nd4j.getEnvironment();
        Blas blas = Nd4j.factory().blas();
        masterThreads = environment.maxMasterThreads();
        blasThreads = blas.getMaxThreads();
        environment.setMaxMasterThreads(1);
        blas.setMaxThreads(1);
      }
    }
  }

  private static void exit() {
    synchronized (LOCK) {
      if (--running == 0) {
        Environment environment = Nd4j.getEnvironment();
        environment.setMaxMasterThreads(masterThreads);
        Nd4j.factory().blas().setMaxThreads(blasThreads);
      }
    }
  }
}
