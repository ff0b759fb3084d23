package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.List;

/**
 * {@code @ConvTranspose}: Flax's {@code nn.ConvTranspose} on NHWC input (kernel {@code [kh, kw, C,
 * features]}, or {@code [kh, kw, features, C]} with {@code transposeKernel}), with an optional
 * activation. Its work space is sized by the runtime, once per batch shape.
 */
@AutoService(LayerRule.class)
public final class ConvTransposeRule extends WindowedAffineRule {
  private static final ClassName OPS = ClassName.get("dev.kiln.runtime.nn", "ConvTransposeOps");
  private static final ClassName PARAMS = ClassName.get("dev.kiln.runtime.nn", "ConvTransposeParams");

  @Override
  public String annotation() {
    return "dev.kiln.annotations.ConvTranspose";
  }

  @Override
  String name() {
    return "ConvTranspose";
  }

  @Override
  boolean explicitPadding() {
    return false;
  }

  @Override
  Shape output(Window window, Shape input, Dim features, String description) {
    return window.applyTransposed(input, features, description);
  }

  @Override
  public ClassName paramsType(LayerSpec layer) {
    return PARAMS;
  }

  @Override
  public long flopsPerExample(LayerSpec layer, Shape input, Shape output) {
    List<Integer> k = layer.intList("kernel");
    long macs = input.dim(1).size() * input.dim(2).size() * input.dim(3).size() * k.get(0) * k.get(1)
        * layer.intValue("features");
    return 2 * macs + (layer.boolValue("useBias") ? output.perExampleSize() : 0);
  }

  @Override
  public void forward(LayerSpec layer, Emitter.Forward e) {
    Window w = window(layer);
    CodeBlock bias = bias(layer, e);
    e.add("$T.forward($L, $L, $L, $L, $L, $L, $L, $L)", OPS, e.input(), e.param("kernel"), bias, w.stridesCode(),
        w.padding().code(), layer.boolValue("transposeKernel"), FusedActivation.affineTarget(layer, e), work(layer, e, w));
    FusedActivation.forward(layer, e);
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    Window w = window(layer);
    CodeBlock dBias = biasGradient(layer, e);
    CodeBlock dAffine = FusedActivation.backward(layer, e);
    e.add("$T.backward($L, $L, $L, $L, $L, $L, $L, $L, $L, $L)", OPS, e.input(), e.param("kernel"), dAffine,
        e.gradInput(), e.gradParam("kernel"), dBias, w.stridesCode(), w.padding().code(),
        layer.boolValue("transposeKernel"), work(layer, e, w));
  }

  /** The op's work space, the same buffer in both passes; its size is the runtime's {@code scratchShape}. */
  private CodeBlock work(LayerSpec layer, Emitter.Step e, Window w) {
    CodeBlock kernel = kernelDims(layer, e.inputShape());
    return e.computedBuffer("Work", CodeBlock.of("$T.scratchShape(new long[] {$L}, new long[] {$L}, $L, $L, $L)", OPS,
        e.dims(e.inputShape()), kernel, w.stridesCode(), w.padding().code(), layer.boolValue("transposeKernel")));
  }

  @Override
  List<Dim> kernelShape(LayerSpec layer, Shape input) {
    List<Integer> k = layer.intList("kernel");
    Dim in = input.dim(3);
    Dim out = Dim.of(layer.intValue("features"));
    return layer.boolValue("transposeKernel")
        ? List.of(Dim.of(k.get(0)), Dim.of(k.get(1)), out, in)
        : List.of(Dim.of(k.get(0)), Dim.of(k.get(1)), in, out);
  }
}
