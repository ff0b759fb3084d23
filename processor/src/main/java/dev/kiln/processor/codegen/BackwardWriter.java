package dev.kiln.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.layers.Emitter;
import dev.kiln.processor.model.Network;
import dev.kiln.processor.model.Step;
import dev.kiln.processor.model.Value;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a model's backward pass: the steps in reverse, each rule writing its input cotangent and
 * parameter gradients. A value read by several steps gets the sum of their cotangents; the input
 * cotangent is computed only when the caller asks for it (a sub-model inside a larger one, a GAN's
 * discriminator under its generator).
 */
final class BackwardWriter {
  private final Network network;
  private final Buffers buffers;
  private final CodeBlock.Builder code = CodeBlock.builder();
  private final Map<String, Integer> expected = new HashMap<>();
  private final Map<String, Integer> received = new HashMap<>();
  private final Map<String, CodeBlock> grads = new HashMap<>();
  /** Values whose cotangent matters only when the caller wants the input's (no parameter before them). */
  private final java.util.Set<String> inputOnly = new java.util.HashSet<>();

  BackwardWriter(Network network, Buffers buffers) {
    this.network = network;
    this.buffers = buffers;
  }

  /** The body of {@code backward(p, t, dOutput(s), g, needInputGradient)}, including its return. */
  CodeBlock body() {
    inputOnly.add(network.input().name());
    for (Step step : network.steps()) {
      expected.merge(step.input().name(), 1, Integer::sum);
      boolean hasParameters = step.isSubModel() ? step.subModel().parameterCount() > 0
          : !step.rule().paramsType(step.layer()).equals(dev.kiln.processor.layers.LayerRule.NO_PARAMS);
      if (inputOnly.contains(step.input().name()) && !hasParameters) {
        inputOnly.add(step.output().name());
      }
    }
    for (Value out : network.outputs()) {
      expected.merge(out.name(), 1, Integer::sum);
      buffers.own(Names.grad(out), out.shape());
    }
    List<Value> outputs = network.outputs();
    for (Value out : outputs) {
      CodeBlock seed = network.hasSingleOutput() ? CodeBlock.of("dOutput")
          : CodeBlock.of("$T.orZeros(dOutputs.$L(), t.$L)", dev.kiln.processor.layers.Runtime.MODEL_SUPPORT,
              out.name(), Names.grad(out));
      contributeValue(out, seed, false);
    }
    List<Step> steps = network.steps();
    for (int i = steps.size() - 1; i >= 0; i--) {
      Step step = steps.get(i);
      code.add("// $L: $L\n", step.component().name(), step.description());
      CodeBlock gradOut = grads.get(step.output().name());
      boolean optional = inputOnly.contains(step.input().name());
      if (step.isSubModel()) {
        CodeBlock call = CodeBlock.of("$T.INSTANCE.backward(p.$L(), t.$L, $L, g.$L(), $L)",
            Names.model(step.subModel().spec()), step.component().name(), Names.subTape(step.component().name()),
            gradOut, step.component().name(), optional ? "needInputGradient" : "true");
        contributeValue(step.input(), call, true);
      } else if (step.rule().outputIsView()) {
        contributeValue(step.input(), step.rule().view(step.layer(), gradOut,
            Names.dims(step.input().shape(), "t")), false);
      } else if (inputOnly.contains(step.output().name())) {
        code.beginControlFlow("if (needInputGradient)");
        contributeByRule(step, gradOut);
        code.endControlFlow();
      } else {
        contributeByRule(step, gradOut);
      }
    }
    CodeBlock dInput = grads.get(network.input().name());
    code.addStatement("return needInputGradient ? $L : null", dInput == null ? "null" : dInput);
    return code.build();
  }

  /** A contribution that is an expression (a view, a seed, a sub-model's input cotangent). */
  private void contributeValue(Value target, CodeBlock expression, boolean sideEffects) {
    int count = received.merge(target.name(), 1, Integer::sum);
    boolean shared = expected.get(target.name()) > 1;
    boolean optional = inputOnly.contains(target.name());
    if (!shared) {
      if (sideEffects) {
        String local = Names.grad(target);
        code.addStatement("$T $L = $L", dev.kiln.processor.layers.Runtime.INDARRAY, local, expression);
        grads.put(target.name(), CodeBlock.of("$L", local));
      } else {
        grads.put(target.name(), expression);
      }
      return;
    }
    String sum = Names.grad(target);
    buffers.own(sum, target.shape());
    CodeBlock value = expression;
    if (sideEffects) {
      String local = Names.grad(target) + "Part" + count;
      code.addStatement("$T $L = $L", dev.kiln.processor.layers.Runtime.INDARRAY, local, expression);
      value = CodeBlock.of("$L", local);
    }
    CodeBlock apply = CodeBlock.of("t.$L.$L($L)", sum, count == 1 ? "assign" : "addi", value);
    if (optional) {
      code.addStatement("if (needInputGradient) $L", apply);
    } else {
      code.addStatement("$L", apply);
    }
    grads.put(target.name(), CodeBlock.of("t.$L", sum));
  }

  /** A contribution a layer rule writes into a buffer. */
  private void contributeByRule(Step step, CodeBlock gradOut) {
    Value target = step.input();
    int count = received.merge(target.name(), 1, Integer::sum);
    boolean shared = expected.get(target.name()) > 1;
    boolean optional = inputOnly.contains(target.name());
    String sum = Names.grad(target);
    String buffer = shared && count > 1 ? Names.gradAccumulator(target) : sum;
    buffers.own(buffer, target.shape());
    CodeBlock into = optional ? CodeBlock.of("(needInputGradient ? t.$L : null)", buffer) : CodeBlock.of("t.$L", buffer);
    step.rule().backward(step.layer(), new Context(step, gradOut, into, optional));
    if (shared && count > 1) {
      buffers.own(sum, target.shape());
      code.addStatement(optional ? "if (needInputGradient) t.$L.addi(t.$L)" : "t.$L.addi(t.$L)", sum, buffer);
    }
    grads.put(target.name(), CodeBlock.of("t.$L", sum));
  }

  private final class Context extends StepContext implements Emitter.Backward {
    private final CodeBlock gradOut;
    private final CodeBlock gradIn;
    private final boolean gradInOptional;

    Context(Step step, CodeBlock gradOut, CodeBlock gradIn, boolean gradInOptional) {
      super(step, BackwardWriter.this.buffers, code);
      this.gradOut = gradOut;
      this.gradIn = gradIn;
      this.gradInOptional = gradInOptional;
    }

    @Override
    public CodeBlock gradOutput() {
      return gradOut;
    }

    @Override
    public CodeBlock gradInput() {
      return gradIn;
    }

    @Override
    public CodeBlock gradParam(String slot) {
      return CodeBlock.of("g.$L().$L()", step.component().name(), slot);
    }

    @Override
    public CodeBlock gradParams() {
      return CodeBlock.of("g.$L()", step.component().name());
    }

    @Override
    public CodeBlock scratch(String suffix) {
      return CodeBlock.of("t.$L", step.output().name() + suffix);
    }

    @Override
    public CodeBlock scratchGrad(String suffix) {
      String name = "d" + Names.capitalize(step.output().name() + suffix);
      buffers.own(name, buffers.shapeOf(step.output().name() + suffix));
      return CodeBlock.of("t.$L", name);
    }

    @Override
    public CodeBlock buffer(String suffix, dev.kiln.processor.model.Shape shape) {
      buffers.own(step.output().name() + suffix, shape);
      return CodeBlock.of("t.$L", step.output().name() + suffix);
    }

    @Override
    public boolean gradInputOptional() {
      return gradInOptional;
    }
  }
}
