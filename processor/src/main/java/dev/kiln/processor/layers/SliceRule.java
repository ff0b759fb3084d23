package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.List;

/** {@code @Slice}: a run of features of a {@code (B, F)} input, copied out. */
@AutoService(LayerRule.class)
public final class SliceRule implements LayerRule {
  private static final ClassName OPS = ClassName.get("dev.kiln.runtime.nn", "SliceOps");

  @Override
  public String annotation() {
    return "dev.kiln.annotations.Slice";
  }

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    int from = layer.intValue("from");
    int size = layer.intValue("size");
    if (from < 0 || size <= 0) {
      return Inference.error(from < 0 ? "from" : "size", "@Slice needs from >= 0 and a positive size, found from = "
          + from + ", size = " + size);
    }
    if (input.rank() != 2 || !input.last().isKnown()) {
      return Inference.error(null, "@Slice needs (B,F) with a known F, found " + input);
    }
    if (from + size > input.last().size()) {
      return Inference.mismatch("size", "@Slice of features [" + from + ", " + (from + size) + ") needs at least "
          + (from + size) + " features, its input " + input + " has " + input.last().size());
    }
    Shape output = new Shape(List.of(Dim.BATCH, Dim.of(size)));
    return Inference.ok(output, describe(layer) + ": " + input + " -> " + output);
  }

  @Override
  public String describe(LayerSpec layer) {
    int from = layer.intValue("from");
    return "Slice[" + from + ":" + (from + layer.intValue("size")) + "]";
  }

  @Override
  public void forward(LayerSpec layer, Emitter.Forward e) {
    e.add("$T.forward($L, $L, $L)", OPS, e.input(), layer.intValue("from"), e.output());
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    e.add("$T.backward($L, $L, $L)", OPS, e.gradOutput(), layer.intValue("from"), e.gradInput());
  }
}
