package dev.kiln.processor.layers;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Dim;
import java.util.List;

/**
 * One constructor argument of a layer's parameter record: its name (also its Flax name and record
 * accessor), its shape, and how it starts. A trainable slot (Flax's {@code params}) starts from an
 * initialiser expression (a {@code dev.kiln.runtime.random.Initializer} given its own key); a state
 * slot (Flax's {@code batch_stats}) from an array expression, and gets no gradient. An absent slot (a
 * Dense without bias) is passed as null and creates nothing.
 */
public record ParamSlot(String name, List<Dim> shape, CodeBlock initializer, boolean present, boolean trainable) {
  public ParamSlot {
    shape = List.copyOf(shape);
  }

  /** A trainable slot. */
  public ParamSlot(String name, List<Dim> shape, CodeBlock initializer, boolean present) {
    this(name, shape, initializer, present, true);
  }

  /** A state slot starting as {@code initialValue}, an INDArray expression. */
  public static ParamSlot state(String name, List<Dim> shape, CodeBlock initialValue) {
    return new ParamSlot(name, shape, initialValue, true, false);
  }

  public static ParamSlot absent(String name) {
    return new ParamSlot(name, List.of(), CodeBlock.of("null"), false);
  }

  public long count() {
    long n = 1;
    for (Dim d : shape) {
      n *= d.size();
    }
    return present ? n : 0;
  }
}
