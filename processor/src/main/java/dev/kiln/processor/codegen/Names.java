package dev.kiln.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.ModelSpec;
import dev.kiln.processor.model.Network;
import dev.kiln.processor.model.Shape;
import dev.kiln.processor.model.Value;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The names generated code uses, in one place so every writer agrees on them. */
final class Names {
  private Names() {}

  static ClassName record(ModelSpec spec) {
    return ClassName.get(spec.packageName(), spec.name());
  }

  static ClassName model(ModelSpec spec) {
    return ClassName.get(spec.packageName(), spec.name() + "Model");
  }

  static ClassName trainer(ModelSpec spec) {
    return ClassName.get(spec.packageName(), spec.name() + "Trainer");
  }

  static ClassName tape(ModelSpec spec) {
    return model(spec).nestedClass("Tape");
  }

  static ClassName outputs(ModelSpec spec) {
    return model(spec).nestedClass("Outputs");
  }

  /** The tape field holding a value. */
  static CodeBlock value(Value v) {
    return CodeBlock.of("t.$L", v.name());
  }

  /** The tape field holding a value's cotangent. */
  static String grad(Value v) {
    return "d" + capitalize(v.name());
  }

  static String gradAccumulator(Value v) {
    return grad(v) + "Acc";
  }

  static String subTape(String component) {
    return component + "Tape";
  }

  /** The symbols of the input shape other than the batch, in order: they size the tape. */
  static List<String> symbols(Network network) {
    Set<String> symbols = new LinkedHashSet<>();
    for (Dim d : network.input().shape().perExample()) {
      if (!d.isKnown()) {
        symbols.add(d.symbol());
      }
    }
    return new ArrayList<>(symbols);
  }

  /** The field holding a symbol's size inside a tape. */
  static String symbolField(String symbol) {
    return "dim" + symbol;
  }

  /** A {@code long...} argument list for a shape, sizes read from the tape's fields. */
  static CodeBlock dims(Shape shape, String tapeRef) {
    return shape.dims().stream().map(d -> dim(d, tapeRef)).collect(CodeBlock.joining(", "));
  }

  static CodeBlock dim(Dim d, String tapeRef) {
    if (d.isKnown()) {
      return CodeBlock.of("$L", d.size());
    }
    String field = d.equals(Dim.BATCH) ? "batch" : symbolField(d.symbol());
    return CodeBlock.of(tapeRef.isEmpty() ? "$L" : tapeRef + ".$L", field);
  }

  static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** A shape as a Java array literal of per-example sizes, symbols as -1. */
  static String perExampleLiteral(List<Dim> dims) {
    return dims.stream().map(d -> d.isKnown() ? Long.toString(d.size()) : "-1").collect(Collectors.joining(", "));
  }
}
