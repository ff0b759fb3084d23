package dev.kiln.processor.model;

import java.util.List;
import java.util.Map;

/**
 * One layer annotation on a component, as plain data: the annotation's qualified name, its
 * attribute values with defaults filled in (Integer, Long, Boolean, String for enum constants, List
 * for arrays) and its position among the component's layer annotations.
 */
public record LayerSpec(String annotation, Map<String, Object> attributes, int index) {
  public LayerSpec {
    attributes = Map.copyOf(attributes);
  }

  /** The annotation's simple name, e.g. {@code Dense}. */
  public String kind() {
    return annotation.substring(annotation.lastIndexOf('.') + 1);
  }

  public int intValue(String name) {
    return ((Number) attribute(name)).intValue();
  }

  public boolean boolValue(String name) {
    return (Boolean) attribute(name);
  }

  public String stringValue(String name) {
    return attribute(name).toString();
  }

  public List<Integer> intList(String name) {
    return ((List<?>) attribute(name)).stream().map(o -> ((Number) o).intValue()).toList();
  }

  private Object attribute(String name) {
    Object v = attributes.get(name);
    if (v == null) {
      throw new IllegalArgumentException("@" + kind() + " has no attribute '" + name + "'");
    }
    return v;
  }
}
