package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;

/**
 * {@code @Dropout}: Flax's {@code nn.Dropout}. In training its key is Flax's {@code
 * make_rng('dropout')} for a module named after the component; in evaluation the rate is 0, which
 * makes it the identity.
 */
@AutoService(LayerRule.class)
public final class DropoutRule implements LayerRule {
  private static final ClassName DROPOUT_OPS = ClassName.get("dev.kiln.runtime.nn", "DropoutOps");

  @Override
  public String annotation() {
    return "dev.kiln.annotations.Dropout";
  }

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    double rate = ((Number) layer.attributes().get("rate")).doubleValue();
    if (!(rate >= 0 && rate < 1)) {
      return Inference.error("rate", "@Dropout rate must be in [0, 1), found " + rate);
    }
    return Inference.ok(input, describe(layer) + " keeps the shape " + input);
  }

  @Override
  public String describe(LayerSpec layer) {
    return "Dropout(" + layer.attributes().get("rate") + ")";
  }

  @Override
  public boolean usesMode() {
    return true;
  }

  @Override
  public void forward(LayerSpec layer, Emitter.Forward e) {
    e.add("$T.forward($L, t.training ? $L : 0.0, t.training ? $L : null, $L, $L)", DROPOUT_OPS, e.input(),
        layer.attributes().get("rate"), e.rngKey("dropout"), e.scratch("Mask", null), e.output());
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    e.add("$T.backward($L, $L, t.training ? $L : 0.0, $L)", DROPOUT_OPS, e.gradOutput(), e.scratch("Mask"),
        layer.attributes().get("rate"), e.gradInput());
  }
}
