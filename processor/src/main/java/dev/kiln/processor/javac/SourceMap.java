package dev.kiln.processor.javac;

import dev.kiln.processor.model.Problem;
import java.util.HashMap;
import java.util.Map;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.RecordComponentElement;
import javax.tools.Diagnostic;

/**
 * Where each part of a model came from in the source, so a {@link Problem} lands on the
 * component, the annotation and the attribute value it is about.
 */
public final class SourceMap {
  private final Element type;
  private final AnnotationMirror model;
  private final Map<String, RecordComponentElement> components = new HashMap<>();
  private final Map<String, AnnotationMirror> layers = new HashMap<>();

  SourceMap(Element type, AnnotationMirror model) {
    this.type = type;
    this.model = model;
  }

  void component(String name, RecordComponentElement element) {
    components.put(name, element);
  }

  void layer(String component, int index, AnnotationMirror mirror) {
    layers.put(component + "#" + index, mirror);
  }

  /** Reports a problem as a compiler error prefixed {@code [kiln]}. */
  public void report(Messager messager, Problem problem) {
    String message = "[kiln] " + problem.message();
    if (problem.component() == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, type, model, value(model, problem.attribute()));
      return;
    }
    Element component = components.getOrDefault(problem.component(), (RecordComponentElement) null);
    Element at = component == null ? type : component;
    AnnotationMirror mirror = problem.layerIndex() < 0 ? null
        : layers.get(problem.component() + "#" + problem.layerIndex());
    if (mirror == null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, at);
    } else {
      messager.printMessage(Diagnostic.Kind.ERROR, message, at, mirror, value(mirror, problem.attribute()));
    }
  }

  private static AnnotationValue value(AnnotationMirror mirror, String attribute) {
    if (mirror == null || attribute == null) {
      return null;
    }
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(attribute)) {
        // javac cannot place a caret inside an array value; the annotation itself is the best spot
        return e.getValue().getValue() instanceof java.util.List<?> ? null : e.getValue();
      }
    }
    return null;
  }
}
