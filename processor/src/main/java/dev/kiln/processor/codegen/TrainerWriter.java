package dev.kiln.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.kiln.processor.layers.Runtime;
import dev.kiln.processor.model.ModelSpec;
import dev.kiln.processor.model.Network;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code XxxTrainer}, the compiled training step of a single-output model: forward, loss,
 * backward and optimizer update over typed parameters, with tapes kept per batch shape so steady
 * training allocates no arrays.
 */
public final class TrainerWriter {
  private static final TypeName LEAVES = ParameterizedTypeName.get(ClassName.get(List.class), Runtime.INDARRAY);

  private final Network network;
  private final ModelSpec spec;

  public TrainerWriter(Network network) {
    this.network = network;
    this.spec = network.spec();
  }

  public JavaFile write(String generator) {
    boolean mode = network.usesMode();
    ClassName record = Names.record(spec);
    ClassName model = Names.model(spec);
    ClassName tape = Names.tape(spec);
    String dOut = Names.grad(network.outputs().get(0));
    TypeSpec.Builder type = TypeSpec.classBuilder(Names.trainer(spec))
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addAnnotation(Generated.annotation(generator))
        .addSuperinterface(ParameterizedTypeName.get(Runtime.TRAIN_STEP, record))
        .addJavadoc("The training step of {@link $T}: forward, loss, backward and update, in place.\n", record)
        .addField(FieldSpec.builder(model, "MODEL", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$T.INSTANCE", model).build())
        .addField(record, "params", Modifier.PRIVATE, Modifier.FINAL)
        .addField(record, "gradients", Modifier.PRIVATE, Modifier.FINAL)
        .addField(LEAVES, "paramLeaves", Modifier.PRIVATE, Modifier.FINAL)
        .addField(LEAVES, "gradLeaves", Modifier.PRIVATE, Modifier.FINAL)
        .addField(Runtime.LOSS, "loss", Modifier.PRIVATE, Modifier.FINAL)
        .addField(Runtime.OPTIMIZER, "optimizer", Modifier.PRIVATE, Modifier.FINAL)
        .addField(Runtime.OPTIMIZER_STATE, "state", Modifier.PRIVATE, Modifier.FINAL)
        .addField(FieldSpec.builder(ParameterizedTypeName.get(Runtime.TAPE_CACHE, tape), "tapes",
            Modifier.PRIVATE, Modifier.FINAL).initializer("new $T<>(MODEL::tape, $T::fits)", Runtime.TAPE_CACHE, tape)
            .build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
            .addParameter(record, "params").addParameter(Runtime.LOSS, "loss")
            .addParameter(Runtime.OPTIMIZER, "optimizer")
            .addStatement("this.params = params")
            .addStatement("this.gradients = MODEL.zerosLike(params)")
            .addStatement("this.paramLeaves = MODEL.leaves(params)")
            .addStatement("this.gradLeaves = MODEL.leaves(gradients)")
            .addStatement("this.loss = loss")
            .addStatement("this.optimizer = optimizer")
            .addStatement("this.state = optimizer.init(paramLeaves)")
            .build())
        .addMethod(override("step", double.class)
            .addParameter(Runtime.INDARRAY, "input").addParameter(Runtime.INDARRAY, "target")
            .addStatement("$T t = tapes.get(input)", tape)
            .addCode(mode ? CodeBlock.builder().addStatement("t.training = true")
                // the optimizer's count numbers the steps, so a state restored from a checkpoint
                // continues the key stream where it stopped
                .addStatement("t.dropoutKey = dropoutRoot.foldIn((int) state.step())").build() : CodeBlock.of(""))
            .addStatement("$T output = MODEL.forward(params, input, t)", Runtime.INDARRAY)
            .addStatement("double value = loss.valueAndGradient(output, target, t.$L)", dOut)
            .addStatement("MODEL.backward(params, t, t.$L, gradients, false)", dOut)
            .addStatement("optimizer.update(paramLeaves, gradLeaves, state)")
            .addStatement("return value")
            .build())
        .addMethod(predict(tape, mode))
        .addMethod(override("params", record).addStatement("return params").build())
        .addMethod(override("gradients", record).addStatement("return gradients").build())
        .addMethod(override("optimizerState", Runtime.OPTIMIZER_STATE).addStatement("return state").build())
        .addMethod(override("model", model).addStatement("return MODEL").build())
        .addMethod(override("activations", ParameterizedTypeName.get(ClassName.get(Map.class),
            ClassName.get(String.class), Runtime.INDARRAY))
            .addStatement("return tapes.last() == null ? $T.of() : tapes.last().activations()", Map.class)
            .build());
    if (mode) {
      type.addField(FieldSpec.builder(Runtime.PRNG_KEY, "dropoutRoot", Modifier.PRIVATE)
              .initializer("$T.of(0)", Runtime.PRNG_KEY).build())
          .addMethod(override("dropoutKey", void.class).addParameter(Runtime.PRNG_KEY, "root")
              .addStatement("this.dropoutRoot = root").build());
    }
    return JavaFile.builder(spec.packageName(), type.build()).skipJavaLangImports(true).indent("  ").build();
  }

  private static MethodSpec predict(ClassName tape, boolean mode) {
    MethodSpec.Builder m = override("predict", Runtime.INDARRAY).addParameter(Runtime.INDARRAY, "input")
        .addStatement("$T t = tapes.get(input)", tape);
    if (mode) {
      m.addStatement("t.training = false");
    }
    return m.addStatement("return MODEL.forward(params, input, t)").build();
  }

  private static MethodSpec.Builder override(String name, TypeName returns) {
    return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(returns);
  }

  private static MethodSpec.Builder override(String name, Class<?> returns) {
    return override(name, TypeName.get(returns));
  }
}
