package dev.kiln.processor.model;

/**
 * A compile-time error found in a model, located as precisely as the model allows: a component (or
 * null for the record itself), one of its layer annotations (or -1) and an attribute (or null).
 */
public record Problem(String component, int layerIndex, String attribute, String message) {
  public static Problem onModel(String attribute, String message) {
    return new Problem(null, -1, attribute, message);
  }

  public static Problem onComponent(String component, String message) {
    return new Problem(component, -1, null, message);
  }

  public static Problem onLayer(String component, LayerSpec layer, String attribute, String message) {
    return new Problem(component, layer.index(), attribute, message);
  }
}
