package dev.kiln.processor.model;

import dev.kiln.processor.layers.Inference;
import dev.kiln.processor.layers.LayerRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a layer's fused ReLU after the max pool that follows it in the same component: {@code
 * maxPool(relu(x)) = relu(maxPool(x))}, and so are the gradients (ReLU keeps the order of positive
 * values, so the pool picks the same element, and where the window's maximum is not positive both
 * orders give zero). The activation and its backward step then touch the pooled tensor, a quarter
 * of the size for a 2x2 pool, and the tape holds neither the activated tensor nor its cotangent.
 */
final class ReluAfterMaxPool {
  static final String ACTIVATE = "dev.kiln.annotations.Activate";
  private static final String MAX_POOL = "dev.kiln.annotations.MaxPool";

  private ReluAfterMaxPool() {}

  /**
   * One component's steps in forward order, rewritten where a layer with {@code activation = RELU}
   * is followed by {@code @MaxPool}; the component's output value stays the last step's output.
   *
   * @param activate the rule of {@code @Activate}, which runs the moved activation
   */
  static List<Step> apply(List<Step> steps, LayerRule activate) {
    List<Step> out = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      Step next = i + 1 < steps.size() ? steps.get(i + 1) : null;
      if (next == null || !firesRelu(s) || !next.layer().annotation().equals(MAX_POOL)) {
        out.add(s);
        continue;
      }
      LayerSpec affine = withoutActivation(s.layer());
      out.add(new Step(s.component(), affine, s.rule(), null, s.input(), s.output(), s.explanation(),
          s.rule().flopsPerExample(affine, s.input().shape(), s.output().shape())));
      Value pooled = new Value(next.output().name() + "Pooled", next.output().shape(), false);
      out.add(new Step(next.component(), next.layer(), next.rule(), null, next.input(), pooled, next.explanation(),
          next.flopsPerExample()));
      LayerSpec relu = new LayerSpec(ACTIVATE, Map.of("value", "RELU"), next.layer().index());
      Inference kept = activate.infer(relu, pooled.shape());
      out.add(new Step(next.component(), relu, activate, null, pooled, next.output(),
          kept.explanation() + ", after the max pool", activate.flopsPerExample(relu, pooled.shape(), pooled.shape())));
      i++;
    }
    return out;
  }

  private static boolean firesRelu(Step s) {
    return !s.isSubModel() && "RELU".equals(s.layer().attributes().get("activation"));
  }

  private static LayerSpec withoutActivation(LayerSpec layer) {
    Map<String, Object> attributes = new HashMap<>(layer.attributes());
    attributes.put("activation", "NONE");
    return new LayerSpec(layer.annotation(), attributes, layer.index());
  }
}
