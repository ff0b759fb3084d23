package dev.kiln.processor.model;

import java.util.List;

/**
 * A record component: its name, its layer annotations in source order, the simple name of its
 * parameter type, and where its input comes from.
 *
 * @param subModel the sub-model this component applies, or null when it is made of layers
 * @param from the component (or {@code "input"}) feeding it, or null for the previous component
 * @param output whether it is a named output of the model ({@code @Output})
 */
public record ComponentSpec(
    String name, List<LayerSpec> layers, String paramsType, ModelSpec subModel, String from, boolean output) {
  public ComponentSpec {
    layers = List.copyOf(layers);
  }
}
