package dev.kiln.processor.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/** The layer rules known to the processor, by annotation name: Kiln's own and any on the processor path. */
public final class LayerRules {
  private final Map<String, LayerRule> byAnnotation = new LinkedHashMap<>();

  private LayerRules() {}

  public static LayerRules load(ClassLoader loader) {
    LayerRules rules = new LayerRules();
    for (LayerRule rule : ServiceLoader.load(LayerRule.class, loader)) {
      rules.byAnnotation.put(rule.annotation(), rule);
    }
    return rules;
  }

  /** Kiln's built-in rules plus any found by {@link ServiceLoader}. */
  public static LayerRules standard() {
    return load(LayerRules.class.getClassLoader());
  }

  /** The rule for an annotation's qualified name, or null. */
  public LayerRule find(String annotation) {
    return byAnnotation.get(annotation);
  }
}
