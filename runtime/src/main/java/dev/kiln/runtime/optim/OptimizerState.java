package dev.kiln.runtime.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An optimizer's state: the number of updates applied and named slots (optax's {@code mu},
 * {@code nu}, {@code trace}, ...), each a list of arrays aligned with the parameter leaves.
 */
public final class OptimizerState {
  /** The name optax gives the update count in its states, as {@link Optimizer#optaxLayout} uses it. */
  public static final String COUNT = "count";

  private long step;
  private final Map<String, List<INDArray>> slots = new LinkedHashMap<>();
  private List<INDArray> scratch;

  public long step() {
    return step;
  }

  public void setStep(long step) {
    this.step = step;
  }

  public Map<String, List<INDArray>> slots() {
    return slots;
  }

  public List<INDArray> slot(String name) {
    List<INDArray> s = slots.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no optimizer slot '" + name + "': found " + slots.keySet());
    }
    return s;
  }

  /**
   * Work arrays shaped like {@code params}, one per leaf, that an optimizer overwrites during an
   * update. They are created on the first call and reused afterwards, so updates allocate no
   * arrays; they are not part of the optimizer's state (a restored state simply creates them
   * again).
   */
  public List<INDArray> scratch(List<INDArray> params) {
    if (scratch == null || scratch.size() != params.size()) {
      List<INDArray> fresh = new ArrayList<>(params.size());
      for (INDArray p : params) {
        fresh.add(p.ulike());
      }
      scratch = List.copyOf(fresh);
    }
    return scratch;
  }
}
