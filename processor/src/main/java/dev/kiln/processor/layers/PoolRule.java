package dev.kiln.processor.layers;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;

/** What max and average pooling share: the window rule, the summary name and the calls to {@code PoolOps}. */
abstract class PoolRule implements LayerRule {
  static final ClassName POOL_OPS = ClassName.get("dev.kiln.runtime.nn", "PoolOps");

  /** {@code max} or {@code avg}: the prefix of the {@code PoolOps} methods. */
  abstract String op();

  /** Arguments after the padding that the op takes (average pooling's divisor choice), or empty. */
  abstract CodeBlock extraArguments(LayerSpec layer);

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    try {
      Shape output = Window.read(layer, "window", false).apply(input, input.rank() == 4 ? input.dim(3) : null,
          describe(layer));
      return Inference.ok(output, describe(layer) + ": " + input + " -> " + output);
    } catch (Window.Invalid e) {
      return Inference.error(e.attribute(), e.getMessage());
    }
  }

  @Override
  public String describe(LayerSpec layer) {
    String name = layer.kind();
    try {
      return name + "(" + Window.read(layer, "window", false).describe() + ")";
    } catch (Window.Invalid e) {
      return name;
    }
  }

  @Override
  public long flopsPerExample(LayerSpec layer, Shape input, Shape output) {
    var window = layer.intList("window");
    return output.perExampleSize() * window.get(0) * window.get(1);
  }

  @Override
  public void forward(LayerSpec layer, Emitter.Forward e) {
    Window w = Window.read(layer, "window", false);
    e.add("$T.$LForward($L, $L, $L, $L$L, $L)", POOL_OPS, op(), e.input(), w.sizeCode(), w.stridesCode(),
        w.padding().code(), extraArguments(layer), e.output());
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    Window w = Window.read(layer, "window", false);
    e.add("$T.$LBackward($L, $L, $L, $L$L, $L, $L)", POOL_OPS, op(), e.input(), w.sizeCode(), w.stridesCode(),
        w.padding().code(), extraArguments(layer), e.gradOutput(), e.gradInput());
  }
}
