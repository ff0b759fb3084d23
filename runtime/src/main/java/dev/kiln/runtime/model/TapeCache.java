package dev.kiln.runtime.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The tapes a trainer keeps, one per batch shape in use (training batches, the last partial batch,
 * evaluation batches), so that alternating between them reallocates nothing.
 */
public final class TapeCache<T> {
  /** More shapes than this in turn means the caller varies batch sizes freely; keep the newest. */
  private static final int CAPACITY = 4;

  private final Function<INDArray, T> create;
  private final BiPredicate<T, INDArray> fits;
  private final List<T> tapes = new ArrayList<>();
  private T last;

  public TapeCache(Function<INDArray, T> create, BiPredicate<T, INDArray> fits) {
    this.create = create;
    this.fits = fits;
  }

  /** A tape that fits {@code input}, created on first use. */
  public T get(INDArray input) {
    for (T t : tapes) {
      if (fits.test(t, input)) {
        last = t;
        return t;
      }
    }
    T t = create.apply(input);
    if (tapes.size() == CAPACITY) {
      tapes.remove(0);
    }
    tapes.add(t);
    last = t;
    return t;
  }

  /** The tape {@link #get} returned last (the one the latest pass wrote), or null before the first. */
  public T last() {
    return last;
  }
}
