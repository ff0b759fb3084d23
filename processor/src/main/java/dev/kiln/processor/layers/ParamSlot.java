package dev.kiln.processor.layers;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Dim;
import java.util.List;

/**
 * One constructor argument of a layer's parameter record: its name (the record accessor), its path
 * under the component in Flax's tree ({@code kernel}, or {@code cell/ii/kernel} for a parameter of a
 * nested Flax module), its shape, and how it starts. A trainable slot (Flax's {@code params}) starts from an
 * initialiser expression (a {@code dev.kiln.runtime.random.Initializer} given its own key); a state
 * slot (Flax's {@code batch_stats}) from an array expression, and gets no gradient. An absent slot (a
 * Dense without bias) is passed as null and creates nothing.
 */
public record ParamSlot(
    String name, String flaxPath, List<Dim> shape, CodeBlock initializer, boolean present, boolean trainable) {
  public ParamSlot {
    shape = List.copyOf(shape);
  }

  /** A trainable slot whose Flax path is its name. */
  public ParamSlot(String name, List<Dim> shape, CodeBlock initializer, boolean present) {
    this(name, name, shape, initializer, present, true);
  }

  /** A trainable slot of a nested Flax module, e.g. {@code hiKernel} at {@code cell/hi/kernel}. */
  public static ParamSlot nested(String name, String flaxPath, List<Dim> shape, CodeBlock initializer) {
    return new ParamSlot(name, flaxPath, shape, initializer, true, true);
  }

  /** A state slot starting as {@code initialValue}, an INDArray expression. */
  public static ParamSlot state(String name, List<Dim> shape, CodeBlock initialValue) {
    return new ParamSlot(name, name, shape, initialValue, true, false);
  }

  /** The Flax modules between the component and the parameter ({@code [cell, hi]} for {@code cell/hi/kernel}). */
  public List<String> scope() {
    List<String> parts = List.of(flaxPath.split("/"));
    return parts.subList(0, parts.size() - 1);
  }

  public static ParamSlot absent(String name) {
    return new ParamSlot(name, List.of(), CodeBlock.of("null"), false);
  }

  /** The number of values, or -1 when a dimension is symbolic. */
  public long count() {
    long n = 1;
    for (Dim d : shape) {
      if (!d.isKnown()) {
        return -1;
      }
      n *= d.size();
    }
    return present ? n : 0;
  }
}
