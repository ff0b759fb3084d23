package dev.kiln.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.layers.Emitter;
import dev.kiln.processor.model.Network;
import dev.kiln.processor.model.Shape;
import dev.kiln.processor.model.Step;
import dev.kiln.processor.model.Value;

/** Writes a model's forward pass: one commented block per layer, every result into the tape. */
final class ForwardWriter {
  private final Network network;
  private final Buffers buffers;

  ForwardWriter(Network network, Buffers buffers) {
    this.network = network;
    this.buffers = buffers;
  }

  /** The body of {@code forward(p, input, t)} up to (not including) its return. */
  CodeBlock body() {
    CodeBlock.Builder code = CodeBlock.builder();
    code.addStatement("t.input = input");
    for (Step step : network.steps()) {
      code.add("// $L: $L  $L -> $L\n", step.component().name(), step.description(), step.input().shape(),
          step.output().shape());
      if (step.isSubModel()) {
        buffers.view(step.output().name(), step.output().shape());
        if (step.subModel().usesMode()) {
          String sub = Names.subTape(step.component().name());
          code.addStatement("t.$L.training = t.training", sub);
          code.addStatement("t.$L.dropoutKey = t.dropoutKey", sub);
          code.addStatement("t.$L.noiseKey = t.noiseKey", sub);
        }
        code.addStatement("t.$L = $T.INSTANCE.forward(p.$L(), $L, t.$L)", step.output().name(),
            Names.model(step.subModel().spec()), step.component().name(), Names.value(step.input()),
            Names.subTape(step.component().name()));
      } else if (step.rule().outputIsView()) {
        buffers.view(step.output().name(), step.output().shape());
        code.addStatement("t.$L = $L", step.output().name(), step.rule().view(step.layer(),
            Names.value(step.input()), Names.dims(step.output().shape(), "t")));
      } else {
        buffers.own(step.output().name(), step.output().shape());
        step.rule().forward(step.layer(), new Context(step, code));
      }
    }
    return code.build();
  }

  private final class Context extends StepContext implements Emitter.Forward {
    Context(Step step, CodeBlock.Builder code) {
      super(step, ForwardWriter.this.buffers, code);
    }

    @Override
    public CodeBlock scratch(String suffix, Shape shape) {
      String name = step.output().name() + suffix;
      buffers.own(name, shape == null ? step.output().shape() : shape);
      return Names.value(new Value(name, null, false));
    }

    @Override
    public CodeBlock rngKey(String stream) {
      return switch (stream) {
        case "dropout" -> CodeBlock.of("$T.dropoutKey(t.dropoutKey, t.scope, $S)",
            dev.kiln.processor.layers.Runtime.MODEL_SUPPORT, step.component().name());
        // no noise key: the caller's eps stays (zeros give the mean)
        case "noise" -> CodeBlock.of("t.noiseKey == null ? null : $T.paramKey(t.noiseKey, $T.scope(t.scope, $S), 1)",
            dev.kiln.processor.layers.Runtime.FLAX_RNG, dev.kiln.processor.layers.Runtime.MODEL_SUPPORT,
            step.component().name());
        default -> throw new IllegalArgumentException("no key stream '" + stream + "': \"dropout\" or \"noise\"");
      };
    }
  }
}
