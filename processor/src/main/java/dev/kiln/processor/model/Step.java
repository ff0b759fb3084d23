package dev.kiln.processor.model;

import dev.kiln.processor.layers.LayerRule;

/**
 * One layer application (or one sub-model call) in forward order.
 *
 * @param layer the layer annotation, null for a sub-model
 * @param rule its rule, null for a sub-model
 * @param subModel the sub-model's network, null for a layer
 * @param explanation how the output shape came about, for messages
 */
public record Step(
    ComponentSpec component,
    LayerSpec layer,
    LayerRule rule,
    Network subModel,
    Value input,
    Value output,
    String explanation,
    long flopsPerExample) {

  public boolean isSubModel() {
    return subModel != null;
  }

  /** A short name for summaries: {@code Dense(10, relu)} or the sub-model's record name. */
  public String description() {
    return isSubModel() ? subModel.spec().name() : rule.describe(layer);
  }
}
