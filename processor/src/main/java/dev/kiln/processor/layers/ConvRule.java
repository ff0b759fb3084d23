package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.List;

/** {@code @Conv}: Flax's {@code nn.Conv} on NHWC input with an HWIO kernel, with an optional activation. */
@AutoService(LayerRule.class)
public final class ConvRule implements LayerRule {
  private static final ClassName CONV_OPS = ClassName.get("dev.kiln.runtime.nn", "ConvOps");
  private static final ClassName CONV_PARAMS = ClassName.get("dev.kiln.runtime.nn", "ConvParams");

  @Override
  public String annotation() {
    return "dev.kiln.annotations.Conv";
  }

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    int features = layer.intValue("features");
    if (features <= 0) {
      return Inference.error("features", "@Conv needs a positive number of features, found " + features);
    }
    try {
      Shape output = Window.read(layer, "kernel", true).apply(input, Dim.of(features), describe(layer));
      return Inference.ok(output, describe(layer) + ": " + input + " -> " + output);
    } catch (Window.Invalid e) {
      return Inference.error(e.attribute(), e.getMessage());
    }
  }

  @Override
  public String describe(LayerSpec layer) {
    String window;
    try {
      window = Window.read(layer, "kernel", true).describe();
    } catch (Window.Invalid e) {
      window = "?";
    }
    return "Conv(" + layer.intValue("features") + ", " + window + FusedActivation.describe(layer) + ")";
  }

  @Override
  public ClassName paramsType(LayerSpec layer) {
    return CONV_PARAMS;
  }

  @Override
  public List<ParamSlot> params(LayerSpec layer, Shape input) {
    List<Integer> k = layer.intList("kernel");
    Dim out = Dim.of(layer.intValue("features"));
    ParamSlot kernel = new ParamSlot("kernel", List.of(Dim.of(k.get(0)), Dim.of(k.get(1)), input.dim(3), out),
        CodeBlock.of("$T.lecunNormal()", Runtime.INITIALIZERS), true);
    ParamSlot bias = layer.boolValue("useBias")
        ? new ParamSlot("bias", List.of(out), CodeBlock.of("$T.zeros()", Runtime.INITIALIZERS), true)
        : ParamSlot.absent("bias");
    return List.of(kernel, bias);
  }

  @Override
  public long flopsPerExample(LayerSpec layer, Shape input, Shape output) {
    List<Integer> k = layer.intList("kernel");
    long positions = output.dim(1).size() * output.dim(2).size() * output.dim(3).size();
    long macs = positions * k.get(0) * k.get(1) * input.dim(3).size();
    return 2 * macs + (layer.boolValue("useBias") ? positions : 0);
  }

  @Override
  public void forward(LayerSpec layer, Emitter.Forward e) {
    Window w = Window.read(layer, "kernel", true);
    CodeBlock bias = layer.boolValue("useBias") ? e.param("bias") : CodeBlock.of("null");
    CodeBlock target = FusedActivation.affineTarget(layer, e);
    CodeBlock scratch = w.padding().asymmetric() ? e.scratch("Pad", scratchShape(e.inputShape(), w)) : CodeBlock.of("null");
    e.add("$T.forward($L, $L, $L, $L, $L, $L, $L, $L)", CONV_OPS, e.input(), e.param("kernel"), bias,
        w.stridesCode(), w.padding().code(), w.dilationCode(), target, scratch);
    FusedActivation.forward(layer, e);
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    Window w = Window.read(layer, "kernel", true);
    CodeBlock dBias = layer.boolValue("useBias") ? e.gradParam("bias") : CodeBlock.of("null");
    CodeBlock dPre = FusedActivation.backward(layer, e);
    // conv2d_bp always computes an input cotangent: without a target it needs somewhere to write it
    CodeBlock scratch = w.padding().asymmetric() || e.gradInputOptional()
        ? e.buffer("Pad", scratchShape(e.inputShape(), w)) : CodeBlock.of("null");
    e.add("$T.backward($L, $L, $L, $L, $L, $L, $L, $L, $L, $L)", CONV_OPS, e.input(), e.param("kernel"), dPre,
        e.gradInput(), e.gradParam("kernel"), dBias, w.stridesCode(), w.padding().code(), w.dilationCode(), scratch);
  }

  /** As {@code ConvOps.scratchShape}: the padded input and its cotangent, or a sink for a skipped cotangent. */
  private static Shape scratchShape(Shape in, Window w) {
    Window.Padding p = w.padding();
    if (!p.asymmetric()) {
      return new Shape(List.of(Dim.of(1), Dim.BATCH, in.dim(1), in.dim(2), in.dim(3)));
    }
    long h = in.dim(1).size() + p.top() + p.bottom();
    long wd = in.dim(2).size() + p.left() + p.right();
    return new Shape(List.of(Dim.of(2), Dim.BATCH, Dim.of(h), Dim.of(wd), in.dim(3)));
  }
}
