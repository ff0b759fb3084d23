package dev.kiln.processor.model;

import java.util.List;

/**
 * A {@code @Model} record as plain data, independent of javac: what the shape checker and the
 * writers work from, and what tests build by hand.
 *
 * @param outputs the output shapes the model promises (per example), empty when unspecified
 */
public record ModelSpec(
    String packageName, String name, List<Dim> input, List<List<Dim>> outputs, List<ComponentSpec> components) {
  public ModelSpec {
    input = List.copyOf(input);
    outputs = List.copyOf(outputs);
    components = List.copyOf(components);
  }

  public String qualifiedName() {
    return packageName.isEmpty() ? name : packageName + "." + name;
  }
}
