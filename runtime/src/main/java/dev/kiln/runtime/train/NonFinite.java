package dev.kiln.runtime.train;

import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.model.TrainStep;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Finds where NaN or Inf entered a training step. Scanning costs a pass over every array, so it runs
 * only once a loss is known to be non-finite (and over the parameters before a checkpoint is saved),
 * never on a healthy step.
 */
final class NonFinite {
  private NonFinite() {}

  /**
   * Where the step that just returned a non-finite loss went wrong, in the order the step computed:
   * the input batch, the first layer output (forward order), the first parameter gradient (backward
   * order, so the layer nearest the loss first), else the loss itself.
   */
  static String locate(TrainStep<?> trainer, INDArray features) {
    if (!isFinite(features)) {
      return "the input batch holds NaN or Inf";
    }
    String activation = first(trainer.activations());
    if (activation != null) {
      return activation.equals("input") ? "the input batch holds NaN or Inf"
          : "first non-finite layer output: " + activation;
    }
    String gradient = firstGradient(trainer);
    if (gradient != null) {
      return "every layer output is finite; first non-finite gradient (from the loss back): " + gradient;
    }
    return trainer.activations().isEmpty() ? "no layer outputs are recorded for this model"
        : "every layer output and gradient is finite: the loss itself overflowed";
  }

  /** The Flax path of the first parameter that is NaN or Inf, or null if all are finite. */
  static <P extends Record> String firstParameter(ModelDefinition<P> model, P params) {
    return first(model.toFlax(params));
  }

  private static <P extends Record> String firstGradient(TrainStep<P> trainer) {
    List<Map.Entry<String, INDArray>> gradients =
        new ArrayList<>(trainer.model().toFlax(trainer.gradients()).entrySet());
    Collections.reverse(gradients);
    for (Map.Entry<String, INDArray> e : gradients) {
      if (!isFinite(e.getValue())) {
        return e.getKey();
      }
    }
    return null;
  }

  /** The key of the first array holding NaN or Inf, or null. */
  private static String first(Map<String, INDArray> arrays) {
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      if (e.getValue() != null && !isFinite(e.getValue())) {
        return e.getKey();
      }
    }
    return null;
  }

  /** Integer arrays (token ids, say) are always finite. */
  static boolean isFinite(INDArray a) {
    return !a.dataType().isFPType() || a.isEmpty() || !BooleanIndexing.or(a, Conditions.notFinite());
  }
}
