package dev.kiln.runtime.nn;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The most recently used {@link OpPlan}-holding objects of the current thread, found by the arrays
 * they were built for: {@link #key} names an array by its memory (native address, offset, shape,
 * strides, type), so a fresh view of the same memory finds the same plan. Generated code passes the
 * same tape buffers and parameter arrays on every step, so a layer's plan is built on its first
 * call and reused afterwards; a call with other arrays (a new tape, a test's fresh buffers) builds
 * another. A kept plan references its arrays, so the memory a key names cannot be freed and reused
 * for another array while the plan is kept.
 * Plans are per thread, so two threads never run one plan at once, and at most {@code capacity}
 * are kept: the least recently used one is closed when a new one is added.
 *
 * @param <P> the cached plan type
 */
final class PlanCache<P extends AutoCloseable> {
  private final int capacity;
  private final ThreadLocal<Deque<Entry<P>>> entries = ThreadLocal.withInitial(ArrayDeque::new);

  PlanCache(int capacity) {
    this.capacity = capacity;
  }

  private record Entry<P>(Object[] key, P plan) {}

  /** An array's memory and layout, or {@code null} for {@code null}. */
  static Object key(INDArray a) {
    return a == null ? null
        : new ArrayKey(a.data().address(), a.offset(), a.shape(), a.stride(), a.dataType());
  }

  private record ArrayKey(long address, long offset, long[] shape, long[] stride, DataType type) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ArrayKey k && address == k.address && offset == k.offset
          && Arrays.equals(shape, k.shape) && Arrays.equals(stride, k.stride) && type == k.type;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(address + offset);
    }
  }

  /** The plan built for an equal key (element by element, see {@link #key}), building it if none is kept. */
  P get(Object[] key, Supplier<P> build) {
    Deque<Entry<P>> deque = entries.get();
    for (Iterator<Entry<P>> it = deque.iterator(); it.hasNext(); ) {
      Entry<P> e = it.next();
      if (Arrays.equals(e.key, key)) {
        if (deque.peekFirst() != e) {
          it.remove();
          deque.addFirst(e);
        }
        return e.plan;
      }
    }
    P plan = build.get();
    deque.addFirst(new Entry<>(key, plan));
    if (deque.size() > capacity) {
      try {
        deque.removeLast().plan.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot free an evicted op plan", e);
      }
    }
    return plan;
  }
}
