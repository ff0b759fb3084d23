package dev.kiln.processor.layers;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Dim;
import java.util.List;

/**
 * One constructor argument of a layer's parameter record: its name (also its Flax name and record
 * accessor), its shape, and the initialiser expression (a {@code dev.kiln.runtime.random.Initializer}).
 * An absent slot (a Dense without bias) is passed as null and creates nothing.
 */
public record ParamSlot(String name, List<Dim> shape, CodeBlock initializer, boolean present) {
  public ParamSlot {
    shape = List.copyOf(shape);
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
