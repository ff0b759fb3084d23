package dev.kiln.runtime.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An optimizer's state: the number of updates applied and named slots (optax's {@code mu},
 * {@code nu}, {@code trace}, ...), each a list of arrays aligned with the parameter leaves.
 */
public final class OptimizerState {
  private long step;
  private final Map<String, List<INDArray>> slots = new LinkedHashMap<>();

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
}
