package dev.kiln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class OneThreadTest {
  private static int[] threadCounts() {
    return new int[] {Nd4j.getEnvironment().maxMasterThreads(), Nd4j.factory().blas().getMaxThreads()};
  }

  @Test
  void limitsThreadsWhileRunningAndRestoresThemAfterNestedCalls() {
    int[] before = threadCounts();
    OneThread.run(() -> {
      assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
      assertEquals(1, Nd4j.factory().blas().getMaxThreads());
      OneThread.run(() -> assertEquals(1, Nd4j.getEnvironment().maxMasterThreads()));
      assertEquals(1, Nd4j.factory().blas().getMaxThreads()); // the inner call did not restore early
    });
    assertEquals(Arrays.toString(before), Arrays.toString(threadCounts()));
  }

  @Test
  void overlappingCallsFromTwoThreadsRestoreTheOriginalCounts() throws Exception {
    int[] before = threadCounts();
    CountDownLatch bothInside = new CountDownLatch(2);
    CountDownLatch firstMayLeave = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> first = pool.submit(() -> OneThread.run(() -> {
        bothInside.countDown();
        await(firstMayLeave);
      }));
      Future<?> second = pool.submit(() -> OneThread.run(() -> {
        bothInside.countDown();
        await(bothInside);
      }));
      await(bothInside);
      second.get(10, TimeUnit.SECONDS); // leaves while the first is still inside
      assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
      firstMayLeave.countDown();
      first.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(Arrays.toString(before), Arrays.toString(threadCounts()));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
