package dev.kiln.processor.javac;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.kiln.processor.model.Problem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Where each part of a model came from in the source, so a {@link Problem} lands on the line of
 * the component, the annotation or the attribute value it is about. javac cannot place a message
 * on a record component's annotation through {@link Messager}, so this walks the syntax tree.
 */
public final class SourceMap {
  private final TypeElement type;
  private final AnnotationMirror model;
  /** Per component, the position of each layer annotation among all of the component's annotations. */
  private final Map<String, Map<Integer, Integer>> layerPositions = new HashMap<>();

  SourceMap(TypeElement type, AnnotationMirror model) {
    this.type = type;
    this.model = model;
  }

  void layer(String component, int layerIndex, int annotationPosition) {
    layerPositions.computeIfAbsent(component, k -> new HashMap<>()).put(layerIndex, annotationPosition);
  }

  /** Reports a problem as a compiler error prefixed {@code [kiln]}. */
  public void report(ProcessingEnvironment env, Problem problem) {
    String message = "[kiln] " + problem.message();
    Trees trees = treesOrNull(env);
    TreePath path = trees == null ? null : trees.getPath(type);
    if (path == null) {
      env.getMessager().printMessage(Diagnostic.Kind.ERROR, message, type);
      return;
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    trees.printMessage(Diagnostic.Kind.ERROR, message, locate((ClassTree) path.getLeaf(), trees, problem), unit);
  }

  private Tree locate(ClassTree record, Trees trees, Problem problem) {
    if (problem.component() == null) {
      AnnotationTree annotation = record.getModifiers().getAnnotations().stream()
          .filter(a -> model != null && name(a).equals("Model")).findFirst().orElse(null);
      return annotation == null ? record : attribute(annotation, problem.attribute());
    }
    VariableTree component = record.getMembers().stream()
        .filter(m -> m instanceof VariableTree v && v.getName().contentEquals(problem.component()))
        .map(VariableTree.class::cast).findFirst().orElse(null);
    if (component == null) {
      return record;
    }
    Integer position = layerPositions.getOrDefault(problem.component(), Map.of()).get(problem.layerIndex());
    List<? extends AnnotationTree> annotations = component.getModifiers().getAnnotations();
    if (position == null || position >= annotations.size()) {
      return component;
    }
    return attribute(annotations.get(position), problem.attribute());
  }

  /** The value of {@code attribute} in {@code annotation}, or the annotation when it is not written out. */
  private static Tree attribute(AnnotationTree annotation, String attribute) {
    if (attribute == null) {
      return annotation;
    }
    for (ExpressionTree argument : annotation.getArguments()) {
      if (argument instanceof AssignmentTree assignment
          && assignment.getVariable() instanceof IdentifierTree id && id.getName().contentEquals(attribute)) {
        return assignment.getExpression();
      }
      if (!(argument instanceof AssignmentTree) && attribute.equals("value")) {
        return argument;
      }
    }
    return annotation;
  }

  private static String name(AnnotationTree annotation) {
    String text = annotation.getAnnotationType().toString();
    return text.substring(text.lastIndexOf('.') + 1);
  }

  private static Trees treesOrNull(ProcessingEnvironment env) {
    try {
      return Trees.instance(env);
    } catch (IllegalArgumentException notJavac) {
      return null;
    }
  }
}
