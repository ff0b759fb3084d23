package dev.kiln.processor.javac;

import dev.kiln.processor.model.ComponentSpec;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.ModelSpec;
import dev.kiln.processor.model.Problem;
import dev.kiln.processor.model.ShapeText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * Reads a {@code @Model} record from javac's elements into a plain {@link ModelSpec}, and remembers
 * where each part came from so that problems can be reported on the right annotation and value.
 */
public final class ModelReader {
  static final String MODEL = "dev.kiln.annotations.Model";
  static final String LAYER = "dev.kiln.annotations.Layer";
  static final String OUTPUT = "dev.kiln.annotations.Output";
  static final String FROM = "dev.kiln.annotations.From";

  private final Elements elements;
  private final Map<String, ModelSpec> cache = new HashMap<>();

  public ModelReader(Elements elements) {
    this.elements = elements;
  }

  /** A spec with its problems; the spec is null when the record cannot be read at all. */
  public record Read(ModelSpec spec, List<Problem> problems, SourceMap sources) {}

  public Read read(TypeElement type) {
    List<Problem> problems = new ArrayList<>();
    SourceMap sources = new SourceMap(type, mirror(type, MODEL));
    ModelSpec spec = read(type, problems, sources, new ArrayList<>());
    return new Read(spec, problems, sources);
  }

  private ModelSpec read(TypeElement type, List<Problem> problems, SourceMap sources, List<String> enclosing) {
    String qualified = type.getQualifiedName().toString();
    ModelSpec cached = cache.get(qualified);
    if (cached != null) {
      return cached;
    }
    if (type.getKind() != ElementKind.RECORD) {
      problems.add(Problem.onModel(null, "@Model goes on a record, found " + type.getKind().toString().toLowerCase()
          + " " + type.getSimpleName()));
      return null;
    }
    AnnotationMirror model = mirror(type, MODEL);
    List<Dim> input = shape(model, "input", problems);
    List<List<Dim>> outputs = new ArrayList<>();
    String outputText = (String) value(model, "output");
    if (!outputText.isBlank()) {
      for (String part : outputText.split(";")) {
        List<Dim> dims = shapeOf(part, "output", problems);
        if (dims != null) {
          outputs.add(dims);
        }
      }
    }
    List<String> path = new ArrayList<>(enclosing);
    path.add(qualified);
    List<ComponentSpec> components = new ArrayList<>();
    for (RecordComponentElement component : type.getRecordComponents()) {
      ComponentSpec c = component(component, problems, sources, path);
      if (c != null) {
        components.add(c);
      }
    }
    if (input == null || !problems.isEmpty()) {
      return null;
    }
    PackageElement pkg = elements.getPackageOf(type);
    ModelSpec spec = new ModelSpec(pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString(),
        type.getSimpleName().toString(), input, outputs, components);
    cache.put(qualified, spec);
    return spec;
  }

  private ComponentSpec component(RecordComponentElement component, List<Problem> problems, SourceMap sources,
      List<String> path) {
    String name = component.getSimpleName().toString();
    sources.component(name, component);
    List<LayerSpec> layers = new ArrayList<>();
    String from = null;
    boolean output = false;
    for (AnnotationMirror a : component.getAnnotationMirrors()) {
      TypeElement annotation = (TypeElement) a.getAnnotationType().asElement();
      String qualified = annotation.getQualifiedName().toString();
      if (qualified.equals(OUTPUT)) {
        output = true;
      } else if (qualified.equals(FROM)) {
        from = (String) value(a, "value");
      } else if (mirror(annotation, LAYER) != null) {
        sources.layer(name, layers.size(), a);
        layers.add(new LayerSpec(qualified, attributes(a), layers.size()));
      }
    }
    TypeMirror type = component.asType();
    ModelSpec subModel = null;
    String typeName = type.toString();
    if (type.getKind() == TypeKind.DECLARED) {
      TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
      typeName = element.getSimpleName().toString();
      if (mirror(element, MODEL) != null) {
        if (path.contains(element.getQualifiedName().toString())) {
          problems.add(Problem.onComponent(name, name + ": " + element.getSimpleName()
              + " contains itself; a model cannot be its own sub-model"));
          return null;
        }
        List<Problem> inner = new ArrayList<>();
        subModel = read(element, inner, new SourceMap(element, mirror(element, MODEL)), path);
        if (subModel == null) {
          problems.add(Problem.onComponent(name, name + ": the sub-model " + element.getSimpleName()
              + " has errors: " + (inner.isEmpty() ? "see its own messages" : inner.get(0).message())));
          return null;
        }
      }
    }
    return new ComponentSpec(name, layers, typeName, subModel, from, output);
  }

  private static List<Dim> shape(AnnotationMirror model, String attribute, List<Problem> problems) {
    return shapeOf((String) value(model, attribute), attribute, problems);
  }

  private static List<Dim> shapeOf(String text, String attribute, List<Problem> problems) {
    try {
      return ShapeText.parse(text);
    } catch (IllegalArgumentException e) {
      problems.add(Problem.onModel(attribute, "@Model " + attribute + ": " + e.getMessage()));
      return null;
    }
  }

  /** Attribute values with defaults, as plain Java values. */
  private Map<String, Object> attributes(AnnotationMirror a) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(a).entrySet()) {
      out.put(e.getKey().getSimpleName().toString(), plain(e.getValue().getValue()));
    }
    return out;
  }

  private static Object plain(Object value) {
    if (value instanceof VariableElement constant) {
      return constant.getSimpleName().toString();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> plain(((AnnotationValue) v).getValue())).toList();
    }
    return value;
  }

  private static Object value(AnnotationMirror a, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : a.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(name)) {
        return e.getValue().getValue();
      }
    }
    for (Element member : a.getAnnotationType().asElement().getEnclosedElements()) {
      if (member instanceof ExecutableElement m && m.getSimpleName().contentEquals(name)) {
        return m.getDefaultValue().getValue();
      }
    }
    throw new IllegalArgumentException("no attribute " + name);
  }

  static AnnotationMirror mirror(Element element, String annotation) {
    for (AnnotationMirror a : element.getAnnotationMirrors()) {
      if (((TypeElement) a.getAnnotationType().asElement()).getQualifiedName().contentEquals(annotation)) {
        return a;
      }
    }
    return null;
  }
}
