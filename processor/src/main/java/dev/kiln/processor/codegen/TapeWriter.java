package dev.kiln.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.kiln.processor.layers.Runtime;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.Network;
import dev.kiln.processor.model.ShapeChecker;
import dev.kiln.processor.model.Shape;
import dev.kiln.processor.model.Step;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/** Writes a model's {@code Tape}: every activation and cotangent array of one batch shape. */
final class TapeWriter {
  private static final com.palantir.javapoet.TypeName STRING_LIST = com.palantir.javapoet.ParameterizedTypeName.get(
      com.palantir.javapoet.ClassName.get(List.class), com.palantir.javapoet.ClassName.get(String.class));

  private TapeWriter() {}

  static TypeSpec write(Network network, Buffers buffers) {
    List<String> symbols = Names.symbols(network);
    TypeSpec.Builder tape = TypeSpec.classBuilder("Tape")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The arrays of one forward and backward pass for one batch shape, allocated once and reused.\n");
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addParameter(long.class, "batch");
    tape.addField(long.class, "batch", Modifier.PUBLIC, Modifier.FINAL);
    constructor.addStatement("this.batch = batch");
    for (String s : symbols) {
      tape.addField(long.class, Names.symbolField(s), Modifier.PUBLIC, Modifier.FINAL);
      constructor.addParameter(long.class, Names.symbolField(s));
      constructor.addStatement("this.$L = $L", Names.symbolField(s), Names.symbolField(s));
    }
    tape.addField(Runtime.DATA_TYPE, "dtype", Modifier.PUBLIC, Modifier.FINAL);
    constructor.addParameter(Runtime.DATA_TYPE, "dtype");
    constructor.addStatement("this.dtype = dtype");
    if (network.usesMode()) {
      tape.addField(FieldSpec.builder(STRING_LIST, "scope", Modifier.PUBLIC, Modifier.FINAL)
          .addJavadoc("The Flax scope path of this model, from which its layers' keys derive.\n").build());
      tape.addField(FieldSpec.builder(boolean.class, "training", Modifier.PUBLIC)
          .addJavadoc("Training mode: dropout drops and batch statistics are used.\n").build());
      tape.addField(FieldSpec.builder(Runtime.PRNG_KEY, "dropoutKey", Modifier.PUBLIC)
          .addJavadoc("The root of the {@code dropout} key stream for this pass (training only).\n").build());
      tape.addField(FieldSpec.builder(Runtime.PRNG_KEY, "noiseKey", Modifier.PUBLIC)
          .addJavadoc("The root of the {@code noise} key stream (sampling); null keeps the noise buffers as they are.\n")
          .build());
      constructor.addParameter(STRING_LIST, "scope");
      constructor.addStatement("this.scope = scope");
    }
    tape.addField(FieldSpec.builder(Runtime.INDARRAY, "input", Modifier.PUBLIC).build());
    for (String view : buffers.views().keySet()) {
      tape.addField(FieldSpec.builder(Runtime.INDARRAY, view, Modifier.PUBLIC).build());
    }
    for (Map.Entry<String, Shape> e : buffers.owned().entrySet()) {
      tape.addField(Runtime.INDARRAY, e.getKey(), Modifier.PUBLIC, Modifier.FINAL);
      constructor.addStatement("$L = $T.create(dtype, $L)", e.getKey(), Runtime.ND4J, Names.dims(e.getValue(), ""));
    }
    for (Map.Entry<String, com.palantir.javapoet.CodeBlock> e : buffers.computed().entrySet()) {
      tape.addField(Runtime.INDARRAY, e.getKey(), Modifier.PUBLIC, Modifier.FINAL);
      constructor.addStatement("$L = $T.create(dtype, $L)", e.getKey(), Runtime.ND4J, e.getValue());
    }
    for (Step step : network.steps()) {
      if (step.isSubModel()) {
        String field = Names.subTape(step.component().name());
        tape.addField(Names.tape(step.subModel().spec()), field, Modifier.PUBLIC, Modifier.FINAL);
        constructor.addStatement("$L = new $T($L)", field, Names.tape(step.subModel().spec()),
            subTapeArguments(step));
      }
    }
    tape.addMethod(constructor.build());
    tape.addMethod(fits(network, symbols));
    tape.addMethod(activations(network));
    return tape.build();
  }

  /**
   * {@code activations()}: each layer's output after a forward pass, in the order forward computes
   * them, so the first non-finite one can be named when a loss turns NaN.
   */
  private static MethodSpec activations(Network network) {
    TypeName map = ParameterizedTypeName.get(ClassName.get(LinkedHashMap.class), ClassName.get(String.class),
        Runtime.INDARRAY);
    MethodSpec.Builder m = MethodSpec.methodBuilder("activations").addModifiers(Modifier.PUBLIC).returns(map)
        .addJavadoc("Each layer's output of the last forward pass in computation order, keyed "
            + "{@code \"component: layer\"}\n"
            + "(a sub-model's prefixed with its name and a slash), after {@code \"input\"}.\n")
        .addStatement("$T arrays = new $T<>()", map, LinkedHashMap.class)
        .addStatement("arrays.put($S, input)", "input");
    for (Step step : network.steps()) {
      String name = step.component().name();
      if (step.isSubModel()) {
        m.addStatement("$L.activations().forEach((name, array) -> arrays.put($S + name, array))",
            Names.subTape(name), name + "/");
      } else {
        m.addStatement("arrays.put($S, $L)", name + ": " + step.description(), step.output().name());
      }
    }
    return m.addStatement("return arrays").build();
  }

  private static CodeBlock subTapeArguments(Step step) {
    Map<String, Dim> binding = new HashMap<>();
    ShapeChecker.unify(step.subModel().input().shape(), step.input().shape(), binding);
    CodeBlock.Builder args = CodeBlock.builder().add("batch");
    for (String s : Names.symbols(step.subModel())) {
      args.add(", $L", Names.dim(binding.get(s), ""));
    }
    args.add(", dtype");
    if (step.subModel().usesMode()) {
      args.add(", $T.scope(scope, $S)", Runtime.MODEL_SUPPORT, step.component().name());
    }
    return args.build();
  }

  private static MethodSpec fits(Network network, List<String> symbols) {
    CodeBlock.Builder test = CodeBlock.builder()
        .add("input.size(0) == batch && $T.computeType(input) == dtype", Runtime.MODEL_SUPPORT);
    List<Dim> dims = network.input().shape().dims();
    for (String s : symbols) {
      test.add(" && input.size($L) == $L", dims.indexOf(Dim.symbol(s)), Names.symbolField(s));
    }
    return MethodSpec.methodBuilder("fits").addModifiers(Modifier.PUBLIC)
        .addJavadoc("Whether this tape serves {@code input} (same batch size, sizes and data type).\n")
        .returns(boolean.class)
        .addParameter(Runtime.INDARRAY, "input")
        .addStatement("return $L", test.build())
        .build();
  }
}
