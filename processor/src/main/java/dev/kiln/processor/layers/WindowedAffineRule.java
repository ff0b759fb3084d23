package dev.kiln.processor.layers;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.List;

/**
 * What the convolution rules share: a positive {@code features}, a window over NHWC input read from
 * {@code kernel}, a kernel and an optional bias, and an optional fused activation.
 */
abstract class WindowedAffineRule implements LayerRule {
  /** {@code Conv} or {@code ConvTranspose}: the summary's name. */
  abstract String name();

  /** Whether {@code padding} may be explicit. */
  abstract boolean explicitPadding();

  /** The output shape of the window over {@code input}. */
  abstract Shape output(Window window, Shape input, Dim features, String description);

  /** The kernel's shape in Flax's layout for this input. */
  abstract List<Dim> kernelShape(LayerSpec layer, Shape input);

  /** The kernel's shape as a list of numbers, for a {@code new long[] {...}} in generated code. */
  CodeBlock kernelDims(LayerSpec layer, Shape input) {
    return kernelShape(layer, input).stream().map(d -> CodeBlock.of("$L", d.size())).collect(CodeBlock.joining(", "));
  }

  Window window(LayerSpec layer) {
    return Window.read(layer, "kernel", explicitPadding());
  }

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    int features = layer.intValue("features");
    if (features <= 0) {
      return Inference.error("features", "@" + name() + " needs a positive number of features, found " + features);
    }
    try {
      Shape output = output(window(layer), input, Dim.of(features), describe(layer));
      return Inference.ok(output, describe(layer) + ": " + input + " -> " + output);
    } catch (Window.Invalid e) {
      return Inference.error(e.attribute(), e.getMessage());
    }
  }

  @Override
  public String describe(LayerSpec layer) {
    String window;
    try {
      window = window(layer).describe();
    } catch (Window.Invalid e) {
      window = "?";
    }
    return name() + "(" + layer.intValue("features") + ", " + window + FusedActivation.describe(layer) + ")";
  }

  @Override
  public List<ParamSlot> params(LayerSpec layer, Shape input) {
    return kernelAndBias(kernelShape(layer, input), layer);
  }

  /** The bias gradient a backward call writes, or {@code null} without a bias. */
  static CodeBlock biasGradient(LayerSpec layer, Emitter.Backward e) {
    return layer.boolValue("useBias") ? e.gradParam("bias") : CodeBlock.of("null");
  }

  /** The bias a forward call adds, or {@code null} without one. */
  static CodeBlock bias(LayerSpec layer, Emitter.Forward e) {
    return layer.boolValue("useBias") ? e.param("bias") : CodeBlock.of("null");
  }

  /** Flax's {@code kernel} (lecun normal) and, with {@code useBias}, {@code bias} [features] (zeros). */
  static List<ParamSlot> kernelAndBias(List<Dim> kernel, LayerSpec layer) {
    Dim out = Dim.of(layer.intValue("features"));
    return List.of(
        new ParamSlot("kernel", kernel, CodeBlock.of("$T.lecunNormal()", Runtime.INITIALIZERS), true),
        layer.boolValue("useBias")
            ? new ParamSlot("bias", List.of(out), CodeBlock.of("$T.zeros()", Runtime.INITIALIZERS), true)
            : ParamSlot.absent("bias"));
  }
}
