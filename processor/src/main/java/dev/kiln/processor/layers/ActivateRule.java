package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.Locale;

/** {@code @Activate}: an activation on its own; the shape does not change. */
@AutoService(LayerRule.class)
public final class ActivateRule implements LayerRule {
  @Override
  public String annotation() {
    return "dev.kiln.annotations.Activate";
  }

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    if (layer.stringValue("value").equals("NONE")) {
      return Inference.error("value", "@Activate(NONE) does nothing; remove it or name an activation");
    }
    return Inference.ok(input, describe(layer) + " keeps the shape " + input);
  }

  @Override
  public String describe(LayerSpec layer) {
    return layer.stringValue("value").toLowerCase(Locale.ROOT);
  }

  @Override
  public long flopsPerExample(LayerSpec layer, Shape input, Shape output) {
    return output.perExampleSize();
  }

  @Override
  public void forward(LayerSpec layer, Emitter.Forward e) {
    e.add("$T.forward($T.$L, $L, $L)", Runtime.ACTIVATION_OPS, Runtime.ACTIVATION, layer.stringValue("value"),
        e.input(), e.output());
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    e.add("$T.backward($T.$L, $L, $L, $L, $L)", Runtime.ACTIVATION_OPS, Runtime.ACTIVATION,
        layer.stringValue("value"), e.input(), e.output(), e.gradOutput(), e.gradInput());
  }
}
