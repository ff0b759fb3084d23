package dev.kiln.processor.codegen;

import dev.kiln.processor.model.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arrays a model's tape owns, collected while forward and backward code is written: each is
 * allocated once per batch shape, so a training step allocates nothing after the first.
 */
final class Buffers {
  private final Map<String, Shape> owned = new LinkedHashMap<>();
  private final Map<String, com.palantir.javapoet.CodeBlock> computed = new LinkedHashMap<>();
  private final Map<String, Shape> views = new LinkedHashMap<>();

  /** An array the tape allocates. */
  void own(String name, Shape shape) {
    owned.putIfAbsent(name, shape);
  }

  /**
   * An array the tape allocates with a shape only the runtime can compute (an op's work space):
   * {@code shape} is a {@code long[]} expression over the tape's sizes ({@code batch}, ...).
   */
  void ownComputed(String name, com.palantir.javapoet.CodeBlock shape) {
    computed.putIfAbsent(name, shape);
  }

  Map<String, com.palantir.javapoet.CodeBlock> computed() {
    return computed;
  }

  /** A field forward assigns (a view or a sub-model's output). */
  void view(String name, Shape shape) {
    views.putIfAbsent(name, shape);
  }

  Shape shapeOf(String name) {
    Shape s = owned.get(name);
    return s != null ? s : views.get(name);
  }

  Map<String, Shape> owned() {
    return owned;
  }

  Map<String, Shape> views() {
    return views;
  }
}
