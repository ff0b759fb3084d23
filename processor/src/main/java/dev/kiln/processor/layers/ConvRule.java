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
public final class ConvRule extends WindowedAffineRule {
  private static final ClassName CONV_OPS = ClassName.get("dev.kiln.runtime.nn", "ConvOps");
  private static final ClassName CONV_PARAMS = ClassName.get("dev.kiln.runtime.nn", "ConvParams");

  @Override
  public String annotation() {
    return "dev.kiln.annotations.Conv";
  }

  @Override
  String name() {
    return "Conv";
  }

  @Override
  boolean explicitPadding() {
    return true;
  }

  @Override
  Shape output(Window window, Shape input, Dim features, String description) {
    return window.apply(input, features, description);
  }

  @Override
  List<Dim> kernelShape(LayerSpec layer, Shape input) {
    List<Integer> k = layer.intList("kernel");
    return List.of(Dim.of(k.get(0)), Dim.of(k.get(1)), input.dim(3), Dim.of(layer.intValue("features")));
  }

  @Override
  public ClassName paramsType(LayerSpec layer) {
    return CONV_PARAMS;
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
    Window w = window(layer);
    CodeBlock bias = bias(layer, e);
    CodeBlock target = FusedActivation.affineTarget(layer, e);
    CodeBlock scratch = w.padding().asymmetric() ? work(layer, e, w) : CodeBlock.of("null");
    e.add("$T.forward($L, $L, $L, $L, $L, $L, $L, $L)", CONV_OPS, e.input(), e.param("kernel"), bias,
        w.stridesCode(), w.padding().code(), w.dilationCode(), target, scratch);
    FusedActivation.forward(layer, e);
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    Window w = window(layer);
    CodeBlock dBias = biasGradient(layer, e);
    CodeBlock dPre = FusedActivation.backward(layer, e);
    // skipping the input cotangent takes the patch-matrix route, which works in scratch
    CodeBlock scratch = w.padding().asymmetric() || e.gradInputOptional() ? work(layer, e, w) : CodeBlock.of("null");
    e.add("$T.backward($L, $L, $L, $L, $L, $L, $L, $L, $L, $L)", CONV_OPS, e.input(), e.param("kernel"), dPre,
        e.gradInput(), e.gradParam("kernel"), dBias, w.stridesCode(), w.padding().code(), w.dilationCode(), scratch);
  }

  /** The op's work space, the same buffer in both passes; its size is the runtime's {@code scratchShape}. */
  private CodeBlock work(LayerSpec layer, Emitter.Step e, Window w) {
    CodeBlock kernel = kernelDims(layer, e.inputShape());
    return e.computedBuffer("Work", CodeBlock.of("$T.scratchShape(new long[] {$L}, new long[] {$L}, $L, $L, $L)",
        CONV_OPS, e.dims(e.inputShape()), kernel, w.stridesCode(), w.padding().code(), w.dilationCode()));
  }
}
