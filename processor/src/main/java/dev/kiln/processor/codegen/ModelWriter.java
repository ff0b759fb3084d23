package dev.kiln.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.kiln.processor.layers.ParamSlot;
import dev.kiln.processor.layers.Runtime;
import dev.kiln.processor.model.ComponentParams;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.ModelSpec;
import dev.kiln.processor.model.Network;
import dev.kiln.processor.model.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code XxxModel}: Flax's {@code init} and {@code apply}, the forward and backward passes
 * over a {@code Tape}, the Flax path map, the summary and the trainer factory.
 */
public final class ModelWriter {
  private static final ClassName LIST = ClassName.get(List.class);
  private static final ClassName MAP = ClassName.get(Map.class);
  private static final ClassName LINKED_MAP = ClassName.get(LinkedHashMap.class);
  private static final TypeName STRING_LIST = ParameterizedTypeName.get(LIST, ClassName.get(String.class));
  private static final TypeName ARRAY_MAP = ParameterizedTypeName.get(MAP, ClassName.get(String.class), Runtime.INDARRAY);
  private static final TypeName SHAPE_MAP = ParameterizedTypeName.get(MAP, ClassName.get(String.class),
      TypeName.get(long[].class));

  private final Network network;
  private final ModelSpec spec;
  private final ClassName record;
  private final ClassName tape;

  public ModelWriter(Network network) {
    this.network = network;
    this.spec = network.spec();
    this.record = Names.record(spec);
    this.tape = Names.tape(spec);
  }

  public JavaFile write(String generator) {
    Buffers buffers = new Buffers();
    CodeBlock forward = new ForwardWriter(network, buffers).body();
    CodeBlock backward = new BackwardWriter(network, buffers).body();
    TypeSpec.Builder type = TypeSpec.classBuilder(Names.model(spec))
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addAnnotation(Generated.annotation(generator))
        .addSuperinterface(ParameterizedTypeName.get(Runtime.MODEL_DEFINITION, record))
        .addJavadoc("The compiled form of {@link $T}: shapes checked at compile time, code for every pass.\n", record)
        .addField(FieldSpec.builder(Names.model(spec), "INSTANCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .initializer("new $T()", Names.model(spec)).build())
        .addField(FieldSpec.builder(String.class, "SUMMARY", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$S", SummaryTable.render(network)).build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
        .addMethod(name())
        .addMethod(inputShape())
        .addMethods(initRoot())
        .addMethod(initScoped())
        .addMethod(newTape())
        .addMethod(forward(forward))
        .addMethod(backward(backward))
        .addMethod(apply())
        .addMethod(predictor())
        .addMethod(zerosLike())
        .addMethod(parameterShapes())
        .addMethod(putShapes())
        .addMethod(toFlax())
        .addMethod(putFlax())
        .addMethod(fromFlax())
        .addMethod(build())
        .addMethod(summary())
        .addMethod(trainer())
        .addType(TapeWriter.write(network, buffers));
    if (network.hasState()) {
      addStateMethods(type);
    }
    if (!network.hasSingleOutput()) {
      type.addType(outputsRecord());
    }
    return JavaFile.builder(spec.packageName(), type.build()).skipJavaLangImports(true).indent("  ").build();
  }

  private MethodSpec name() {
    return override("name", String.class).addStatement("return $S", spec.name()).build();
  }

  private MethodSpec inputShape() {
    return override("inputShape", long[].class)
        .addStatement("return new long[] {$L}", Names.perExampleLiteral(spec.input())).build();
  }

  /** {@code init(key)}, or for parameters sized by symbols {@code init(key, V, ...)} beside an {@code init(key)} that says so. */
  private List<MethodSpec> initRoot() {
    List<String> symbols = paramSymbols();
    if (symbols.isEmpty()) {
      return List.of(override("init", record).addParameter(Runtime.PRNG_KEY, "key")
          .addStatement("return init(key, $T.of())", LIST).build());
    }
    MethodSpec.Builder sized = MethodSpec.methodBuilder("init").addModifiers(Modifier.PUBLIC).returns(record)
        .addJavadoc("Parameters from Flax's default initialisers, with the sizes of $L.\n", String.join(", ", symbols))
        .addParameter(Runtime.PRNG_KEY, "key");
    symbols.forEach(s -> sized.addParameter(long.class, s));
    return List.of(
        override("init", record).addParameter(Runtime.PRNG_KEY, "key")
            .addStatement("throw new $T($S)", IllegalStateException.class, spec.name() + " sizes its parameters with "
                + String.join(", ", symbols) + ": call init(key, " + String.join(", ", symbols) + ")")
            .build(),
        sized.addStatement("return init(key, $T.of()$L)", LIST, symbolArguments(symbols)).build());
  }

  /** The symbols that size parameters (a vocabulary {@code V}), bound when parameters are made. */
  private List<String> paramSymbols() {
    return network.parameterSymbols();
  }

  private static String symbolArguments(List<String> symbols) {
    return symbols.stream().map(s -> ", " + s).reduce("", String::concat);
  }

  private MethodSpec initScoped() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("init").addModifiers(Modifier.PUBLIC).returns(record)
        .addJavadoc("Parameters for this model placed at Flax scope {@code scope} under the root key, as Flax"
            + " derives one key per parameter.\n")
        .addParameter(Runtime.PRNG_KEY, "root").addParameter(STRING_LIST, "scope");
    paramSymbols().forEach(s -> m.addParameter(long.class, s));
    List<CodeBlock> args = new ArrayList<>();
    for (ComponentParams c : network.params()) {
      m.addCode("// $L\n", c.name());
      if (c.subModel() != null) {
        m.addStatement("$T $L = $T.INSTANCE.init(root, $T.scope(scope, $S))", c.type(), c.name(),
            Names.model(c.subModel().spec()), Runtime.MODEL_SUPPORT, c.name());
      } else if (c.slots().isEmpty()) {
        m.addStatement("$T $L = $T.INSTANCE", c.type(), c.name(), c.type());
      } else {
        List<CodeBlock> slots = new ArrayList<>();
        // Flax counts the parameters of each module scope from 1, in creation order
        java.util.Map<List<String>, Integer> counters = new java.util.HashMap<>();
        for (ParamSlot slot : c.slots()) {
          if (!slot.present()) {
            slots.add(CodeBlock.of("null"));
            continue;
          }
          if (!slot.trainable()) {
            slots.add(slot.initializer());
            continue;
          }
          int counter = counters.merge(slot.scope(), 1, Integer::sum);
          CodeBlock path = java.util.stream.Stream.concat(java.util.stream.Stream.of(c.name()), slot.scope().stream())
              .map(s -> CodeBlock.of("$S", s)).collect(CodeBlock.joining(", "));
          slots.add(CodeBlock.of("$L.init($T.paramKey(root, $T.scope(scope, $L), $L), $L)", slot.initializer(),
              Runtime.FLAX_RNG, Runtime.MODEL_SUPPORT, path, counter, dims(slot.shape())));
        }
        m.addStatement("$T $L = new $T(\n$>$L)$<", c.type(), c.name(), c.type(), CodeBlock.join(slots, ",\n"));
      }
      args.add(CodeBlock.of("$L", c.name()));
    }
    return m.addStatement("return new $T($L)", record, CodeBlock.join(args, ", ")).build();
  }

  private MethodSpec newTape() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("tape").addModifiers(Modifier.PUBLIC).returns(tape)
        .addJavadoc("A new tape for batches shaped like {@code input}; checks the input's shape.\n")
        .addParameter(Runtime.INDARRAY, "input")
        .addStatement("$T.checkInput($S, inputShape(), input, $L)", Runtime.MODEL_SUPPORT, spec.name(),
            network.takesTokenIds());
    CodeBlock.Builder args = CodeBlock.builder().add("input.size(0)");
    List<Dim> dims = network.input().shape().dims();
    for (String s : Names.symbols(network)) {
      args.add(", input.size($L)", dims.indexOf(Dim.symbol(s)));
    }
    args.add(", $T.computeType(input)", Runtime.MODEL_SUPPORT);
    if (network.usesMode()) {
      args.add(", $T.of()", LIST);
    }
    return m.addStatement("return new $T($L)", tape, args.build()).build();
  }

  private MethodSpec forward(CodeBlock body) {
    MethodSpec.Builder m = MethodSpec.methodBuilder("forward").addModifiers(Modifier.PUBLIC)
        .addJavadoc("Runs the model on {@code input}, keeping in {@code t} what backward needs.\n")
        .addParameter(record, "p").addParameter(Runtime.INDARRAY, "input").addParameter(tape, "t")
        .addCode(body);
    if (network.hasSingleOutput()) {
      return m.returns(Runtime.INDARRAY).addStatement("return $L", Names.value(network.outputs().get(0))).build();
    }
    CodeBlock outputs = network.outputs().stream().map(Names::value).collect(CodeBlock.joining(", "));
    return m.returns(Names.outputs(spec)).addStatement("return new $T($L)", Names.outputs(spec), outputs).build();
  }

  private MethodSpec backward(CodeBlock body) {
    MethodSpec.Builder m = MethodSpec.methodBuilder("backward").addModifiers(Modifier.PUBLIC)
        .returns(Runtime.INDARRAY)
        .addJavadoc("Gradients of {@code sum(output * dOutput)}: writes the parameter gradients into {@code g}"
            + " and returns the input's cotangent when {@code needInputGradient} (else null).\n")
        .addParameter(record, "p").addParameter(tape, "t");
    if (network.hasSingleOutput()) {
      m.addParameter(Runtime.INDARRAY, "dOutput");
    } else {
      m.addParameter(Names.outputs(spec), "dOutputs");
    }
    return m.addParameter(record, "g").addParameter(boolean.class, "needInputGradient").addCode(body).build();
  }

  private MethodSpec apply() {
    MethodSpec.Builder m = override("apply", Runtime.INDARRAY)
        .addParameter(record, "params").addParameter(Runtime.INDARRAY, "input");
    String first = network.hasSingleOutput() ? "" : "." + network.outputs().get(0).name() + "()";
    return m.addStatement("return forward(params, input, tape(input))$L", first).build();
  }

  private MethodSpec predictor() {
    TypeName result = ParameterizedTypeName.get(ClassName.get(java.util.function.UnaryOperator.class), Runtime.INDARRAY);
    String first = network.hasSingleOutput() ? "" : "." + network.outputs().get(0).name() + "()";
    return override("predictor", result).addParameter(record, "params")
        .addStatement("$T tapes = new $T<>(this::tape, $T::fits)", ParameterizedTypeName.get(Runtime.TAPE_CACHE, tape),
            Runtime.TAPE_CACHE, tape)
        .addStatement("return input -> forward(params, input, tapes.get(input))$L", first).build();
  }

  private MethodSpec zerosLike() {
    MethodSpec.Builder m = override("zerosLike", record).addParameter(record, "p");
    List<CodeBlock> args = new ArrayList<>();
    for (ComponentParams c : network.params()) {
      if (c.subModel() != null) {
        args.add(CodeBlock.of("$T.INSTANCE.zerosLike(p.$L())", Names.model(c.subModel().spec()), c.name()));
      } else if (c.slots().isEmpty()) {
        args.add(CodeBlock.of("$T.INSTANCE", c.type()));
      } else {
        CodeBlock slots = c.slots().stream()
            .map(s -> s.trainable() ? CodeBlock.of("$T.zerosLike(p.$L().$L())", Runtime.MODEL_SUPPORT, c.name(), s.name())
                : CodeBlock.of("null"))
            .collect(CodeBlock.joining(", "));
        args.add(CodeBlock.of("new $T($L)", c.type(), slots));
      }
    }
    return m.addStatement("return new $T(\n$>$L)$<", record, CodeBlock.join(args, ",\n")).build();
  }

  private MethodSpec parameterShapes() {
    TypeName result = ParameterizedTypeName.get(LINKED_MAP, ClassName.get(String.class), TypeName.get(long[].class));
    return override("parameterShapes", result)
        .addStatement("$T shapes = new $T<>()", result, LINKED_MAP)
        .addStatement("putShapes($S, shapes)", "")
        .addStatement("return shapes").build();
  }

  private MethodSpec putShapes() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("putShapes").addModifiers(Modifier.PUBLIC)
        .addJavadoc("Adds every parameter's shape under {@code prefix}.\n")
        .addParameter(String.class, "prefix").addParameter(SHAPE_MAP, "shapes");
    for (ComponentParams c : network.params()) {
      if (c.subModel() != null) {
        m.addStatement("$T.INSTANCE.putShapes(prefix + $S, shapes)", Names.model(c.subModel().spec()), c.name() + "/");
      }
      for (ParamSlot s : trainable(c)) {
        m.addStatement("shapes.put(prefix + $S, new long[] {$L})", c.name() + "/" + s.flaxPath(), shapeLiteral(s.shape()));
      }
    }
    return m.build();
  }

  private MethodSpec toFlax() {
    TypeName result = ParameterizedTypeName.get(LINKED_MAP, ClassName.get(String.class), Runtime.INDARRAY);
    return override("toFlax", result).addParameter(record, "params")
        .addStatement("$T arrays = new $T<>()", result, LINKED_MAP)
        .addStatement("putFlax(params, $S, arrays)", "")
        .addStatement("return arrays").build();
  }

  private MethodSpec putFlax() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("putFlax").addModifiers(Modifier.PUBLIC)
        .addJavadoc("Adds every parameter array under {@code prefix}, keyed by Flax path.\n")
        .addParameter(record, "p").addParameter(String.class, "prefix").addParameter(ARRAY_MAP, "arrays");
    for (ComponentParams c : network.params()) {
      if (c.subModel() != null) {
        m.addStatement("$T.INSTANCE.putFlax(p.$L(), prefix + $S, arrays)", Names.model(c.subModel().spec()),
            c.name(), c.name() + "/");
      }
      for (ParamSlot s : trainable(c)) {
        m.addStatement("arrays.put(prefix + $S, p.$L().$L())", c.name() + "/" + s.flaxPath(), c.name(), s.name());
      }
    }
    return m.build();
  }

  private MethodSpec fromFlax() {
    return override("fromFlax", record).addParameter(ARRAY_MAP, "arrays")
        .addStatement("$T.checkParameters($S, parameterShapes(), stateShapes(), arrays)", Runtime.MODEL_SUPPORT,
            spec.name())
        .addStatement("return build(arrays, $S)", "").build();
  }

  private MethodSpec build() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("build").addModifiers(Modifier.PUBLIC).returns(record)
        .addJavadoc("The parameter record from arrays already checked against {@link #parameterShapes()}.\n")
        .addParameter(ARRAY_MAP, "arrays").addParameter(String.class, "prefix");
    List<CodeBlock> args = new ArrayList<>();
    for (ComponentParams c : network.params()) {
      if (c.subModel() != null) {
        args.add(CodeBlock.of("$T.INSTANCE.build(arrays, prefix + $S)", Names.model(c.subModel().spec()),
            c.name() + "/"));
      } else if (c.slots().isEmpty()) {
        args.add(CodeBlock.of("$T.INSTANCE", c.type()));
      } else {
        CodeBlock slots = c.slots().stream()
            .map(s -> !s.present() ? CodeBlock.of("null")
                : s.trainable() ? CodeBlock.of("arrays.get(prefix + $S)", c.name() + "/" + s.flaxPath())
                : CodeBlock.of("$T.stateOr(arrays, $T.STATE + prefix + $S, $L)", Runtime.MODEL_SUPPORT,
                    Runtime.MODEL_SUPPORT, c.name() + "/" + s.flaxPath(), s.initializer()))
            .collect(CodeBlock.joining(", "));
        args.add(CodeBlock.of("new $T($L)", c.type(), slots));
      }
    }
    return m.addStatement("return new $T(\n$>$L)$<", record, CodeBlock.join(args, ",\n")).build();
  }

  private MethodSpec summary() {
    return override("summary", String.class).addStatement("return SUMMARY").build();
  }

  private MethodSpec trainer() {
    if (!network.hasSingleOutput()) {
      return override("trainer", ParameterizedTypeName.get(Runtime.TRAIN_STEP, record))
          .addParameter(record, "params").addParameter(Runtime.LOSS, "loss")
          .addParameter(Runtime.OPTIMIZER, "optimizer")
          .addStatement("throw new $T($S)", UnsupportedOperationException.class, spec.name() + " has "
              + network.outputs().size() + " outputs and a Loss compares one: write the step with forward and"
              + " backward, which take every output")
          .build();
    }
    return override("trainer", Names.trainer(spec))
        .addParameter(record, "params").addParameter(Runtime.LOSS, "loss").addParameter(Runtime.OPTIMIZER, "optimizer")
        .addStatement("return new $T(params, loss, optimizer)", Names.trainer(spec)).build();
  }

  private TypeSpec outputsRecord() {
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
    for (Value v : network.outputs()) {
      constructor.addParameter(Runtime.INDARRAY, v.name());
    }
    return TypeSpec.recordBuilder("Outputs").addModifiers(Modifier.PUBLIC)
        .addJavadoc("The model's named outputs (or, passed to backward, their cotangents; null means zero).\n")
        .recordConstructor(constructor.build()).build();
  }

  private MethodSpec.Builder override(String name, TypeName returns) {
    return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(returns);
  }

  private MethodSpec.Builder override(String name, Class<?> returns) {
    return override(name, TypeName.get(returns));
  }

  private static List<ParamSlot> trainable(ComponentParams c) {
    return c.slots().stream().filter(s -> s.present() && s.trainable()).toList();
  }

  private static List<ParamSlot> state(ComponentParams c) {
    return c.slots().stream().filter(s -> s.present() && !s.trainable()).toList();
  }

  /** {@code stateShapes}, {@code putStateShapes}, {@code stateToFlax} and {@code putState}: state by path. */
  private void addStateMethods(TypeSpec.Builder type) {
    TypeName shapesType = ParameterizedTypeName.get(LINKED_MAP, ClassName.get(String.class), TypeName.get(long[].class));
    TypeName arraysType = ParameterizedTypeName.get(LINKED_MAP, ClassName.get(String.class), Runtime.INDARRAY);
    MethodSpec.Builder putShapes = MethodSpec.methodBuilder("putStateShapes").addModifiers(Modifier.PUBLIC)
        .addJavadoc("Adds every state array's shape under {@code prefix}.\n")
        .addParameter(String.class, "prefix").addParameter(SHAPE_MAP, "shapes");
    MethodSpec.Builder putState = MethodSpec.methodBuilder("putState").addModifiers(Modifier.PUBLIC)
        .addJavadoc("Adds every state array under {@code prefix}, keyed by path.\n")
        .addParameter(record, "p").addParameter(String.class, "prefix").addParameter(ARRAY_MAP, "arrays");
    for (ComponentParams c : network.params()) {
      if (c.subModel() != null && c.subModel().hasState()) {
        ClassName sub = Names.model(c.subModel().spec());
        putShapes.addStatement("$T.INSTANCE.putStateShapes(prefix + $S, shapes)", sub, c.name() + "/");
        putState.addStatement("$T.INSTANCE.putState(p.$L(), prefix + $S, arrays)", sub, c.name(), c.name() + "/");
      }
      for (ParamSlot s : state(c)) {
        putShapes.addStatement("shapes.put(prefix + $S, new long[] {$L})", c.name() + "/" + s.flaxPath(),
            shapeLiteral(s.shape()));
        putState.addStatement("arrays.put(prefix + $S, p.$L().$L())", c.name() + "/" + s.flaxPath(), c.name(), s.name());
      }
    }
    type.addMethod(override("stateShapes", shapesType)
            .addStatement("$T shapes = new $T<>()", shapesType, LINKED_MAP)
            .addStatement("putStateShapes($S, shapes)", "")
            .addStatement("return shapes").build())
        .addMethod(putShapes.build())
        .addMethod(override("stateToFlax", arraysType).addParameter(record, "params")
            .addStatement("$T arrays = new $T<>()", arraysType, LINKED_MAP)
            .addStatement("putState(params, $S, arrays)", "")
            .addStatement("return arrays").build())
        .addMethod(putState.build());
  }

  /** A parameter's sizes as {@code init} arguments: numbers, and the symbols' parameters. */
  private static String dims(List<Dim> dims) {
    return dims.stream().map(d -> d.isKnown() ? d.size() + "L" : d.symbol()).reduce((a, b) -> a + ", " + b).orElse("");
  }

  /** A parameter's sizes for {@code parameterShapes}: -1 stands for a symbol, which any size fits. */
  private static String shapeLiteral(List<Dim> dims) {
    return dims.stream().map(d -> d.isKnown() ? d.size() + "L" : "-1L").reduce((a, b) -> a + ", " + b).orElse("");
  }
}
